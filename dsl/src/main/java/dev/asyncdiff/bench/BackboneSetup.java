package dev.asyncdiff.bench;

import com.google.gson.Gson;
import com.google.gson.JsonArray;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import dev.asyncdiff.model.checkpoint.BackboneLayout;
import dev.asyncdiff.model.checkpoint.ComponentConfig;
import dev.asyncdiff.model.checkpoint.ExpectedTensor;
import dev.asyncdiff.model.checkpoint.Manifest;
import dev.asyncdiff.model.checkpoint.PublishedTransformer;
import dev.asyncdiff.model.flux.FluxConfig;
import dev.asyncdiff.model.sd3.Sd3Config;
import dev.asyncdiff.model.tokenize.PromptTokenizer;

import java.nio.file.Path;

/**
 * One denoiser forward pass of a real backbone's transformer with random weights of its shapes, as the backbone
 * benchmark runs it on both sides: the inputs' shapes (the pipeline's real text-token counts), the pass's FLOPs, and
 * the memory it needs. Java and the PyTorch reference read the same setup (as JSON), so they run the same pass.
 *
 * @param config    the transformer's config.json (the published one unless another is given)
 * @param imageSize side of the square image in pixels; the latent is imageSize / 8 on each side
 * @param repeats   timed passes after the warm-up
 * @param threads   torch intra-op threads on both sides
 */
public record BackboneSetup(BackboneLayout backbone, ComponentConfig config, int imageSize, int batch, int repeats,
                            int threads, long seed) {
    /** The published VAEs' downscale (four blocks, three ×2 reductions). */
    public static final int VAE_DOWNSCALE = 8;
    /** Side of the square of latent pixels one image token covers: SD3's patch and Flux's 2×2 packing alike. */
    static final int TOKEN_PATCH = 2;
    /** The benchmark's time σ, and the distilled guidance scale Flux.1-dev is sampled with. */
    static final double SIGMA = 0.5;
    static final double GUIDANCE = 3.5;
    /** FP32 on CPU. */
    public static final int BYTES_PER_VALUE = 4;
    /** The process around the weights: a JVM or a Python interpreter, libtorch, the allocator's retained pages. */
    public static final long RUNTIME_BYTES = 1L << 30;
    /** Token-by-width arrays one block holds at its peak (see {@link #workingBytes}). */
    static final long TOKEN_ARRAYS = 96;

    public BackboneSetup {
        if (imageSize < 1 || imageSize % (VAE_DOWNSCALE * TOKEN_PATCH) != 0) {
            throw new IllegalArgumentException("--image-size must be a positive multiple of "
                    + VAE_DOWNSCALE * TOKEN_PATCH + " (got " + imageSize + ")");
        }
        if (batch < 1 || repeats < 1 || threads < 1) {
            throw new IllegalArgumentException("--batch, --repeats and --threads must be at least 1 (got " + batch
                    + ", " + repeats + ", " + threads + ")");
        }
        backbone.architecture("transformer").manifest(config); // a config of another class is refused here
        if (backbone == BackboneLayout.SD35 && tokenSide(imageSize) > Sd3Config.of(config).posMaxSize()) {
            throw new IllegalArgumentException("--image-size " + imageSize + " is larger than this transformer's "
                    + "position table allows (" + VAE_DOWNSCALE * TOKEN_PATCH * Sd3Config.of(config).posMaxSize()
                    + ")");
        }
    }

    /** The published transformer of {@code backbone}: SD3.5-medium or Flux.1-dev. */
    public static PublishedTransformer published(BackboneLayout backbone) {
        return backbone == BackboneLayout.SD35 ? PublishedTransformer.SD35_MEDIUM : PublishedTransformer.FLUX1_DEV;
    }

    private static int tokenSide(int imageSize) {
        return imageSize / VAE_DOWNSCALE / TOKEN_PATCH;
    }

    public Manifest manifest() {
        return backbone.architecture("transformer").manifest(config);
    }

    /** What is benchmarked, for the report: the published model's name or the config file given. */
    public String title() {
        PublishedTransformer p = published(backbone);
        return config.json().equals(p.config().json()) ? p.repository + " transformer"
                : config.file() + " (" + manifest().architecture() + ")";
    }

    public int imageTokens() {
        return tokenSide(imageSize) * tokenSide(imageSize);
    }

    /** SD3.5: 77 CLIP columns and 256 T5 tokens (333); Flux.1: 512 T5 tokens. */
    public int textTokens() {
        return backbone == BackboneLayout.SD35 ? PromptTokenizer.CLIP_LENGTH + PromptTokenizer.T5_LENGTH_SD3
                : PromptTokenizer.T5_LENGTH_FLUX;
    }

    /** The config's numbers the pass depends on, read once for either family. */
    private record Dims(int width, int heads, int latentChannels, int textWidth, int pooledWidth, boolean guidance,
                        FlopCount.Count perSample) {
    }

    private Dims dims() {
        if (backbone == BackboneLayout.SD35) {
            Sd3Config c = Sd3Config.of(config);
            return new Dims(c.width(), c.heads(), c.inChannels(), c.jointDim(), c.pooledDim(), false,
                    FlopCount.sd3(c, imageTokens(), textTokens()));
        }
        FluxConfig c = FluxConfig.of(config);
        return new Dims(c.width(), c.heads(), c.latentChannels(), c.jointDim(), c.pooledDim(), c.guidance(),
                FlopCount.flux(c, imageTokens(), textTokens()));
    }

    /** [B, C, H, W] of the VAE's latent. */
    public long[] latentShape() {
        int side = imageSize / VAE_DOWNSCALE;
        return new long[] {batch, dims().latentChannels(), side, side};
    }

    public int width() {
        return dims().width();
    }

    public int textWidth() {
        return dims().textWidth();
    }

    public int pooledWidth() {
        return dims().pooledWidth();
    }

    /** The time input in the transformer's units: SD3 takes 1000·σ, Flux σ (it scales inside). */
    public double time() {
        return backbone == BackboneLayout.SD35 ? 1000 * SIGMA : SIGMA;
    }

    /** The distilled guidance input, or NaN for a transformer without one. */
    public double guidance() {
        return dims().guidance() ? GUIDANCE : Double.NaN;
    }

    /** FLOPs of one pass over the whole batch (matrix products, {@link FlopCount}). */
    public double flops() {
        return dims().perSample().flops() * batch;
    }

    /** The reference matrix product [B·L, D] × [D, 4D]: the MLP's first layer over every token of the pass. */
    public int[] matmul() {
        return new int[] {batch * (imageTokens() + textTokens()), width(), 4 * width()};
    }

    /** Bytes of the weights and stored buffers in FP32. */
    public long weightBytes() {
        Manifest m = manifest();
        return BYTES_PER_VALUE * (m.parameters() + m.buffers());
    }

    /**
     * Bytes one block's temporaries may hold at once: three attention-sized arrays (scores, scaled scores,
     * probabilities) of B·H·L² values, and {@value #TOKEN_ARRAYS} arrays' worth of B·L·D values (the 4D MLP's
     * activations through the tanh GELU, the normalised and modulated streams, q, k, v, their RMSNorm and RoPE). The
     * transformers free each block's temporaries when it ends, so this does not grow with depth. Calibrated on peaks
     * measured with 3-layer SD3.5 and 1 + 2-block Flux configurations at 512×512: each Java peak lay below weights +
     * this + {@link #RUNTIME_BYTES}, the Python peaks further below.
     */
    public long workingBytes() {
        long l = imageTokens() + textTokens();
        Dims d = dims();
        return (long) BYTES_PER_VALUE * batch * (3L * d.heads() * l * l + TOKEN_ARRAYS * l * d.width());
    }

    /** What one side needs: weights, one block's working memory, the runtime around them. */
    public long requiredBytes() {
        return weightBytes() + workingBytes() + RUNTIME_BYTES;
    }

    /** The setup as both sides read it: options, the config itself, every tensor's shape and the derived inputs. */
    public String toJson() {
        Gson gson = new Gson();
        JsonObject o = new JsonObject();
        o.addProperty("backbone", backbone.cliName);
        o.addProperty("config_file", config.file().toString());
        o.add("config", config.json());
        JsonArray tensors = new JsonArray();
        for (ExpectedTensor e : manifest().tensors().values()) {
            if (e.role() != ExpectedTensor.Role.OPTIONAL) {
                JsonArray t = new JsonArray();
                t.add(e.name());
                t.add(gson.toJsonTree(e.shape()));
                tensors.add(t);
            }
        }
        o.add("tensors", tensors);
        o.addProperty("image_size", imageSize);
        o.addProperty("batch", batch);
        o.addProperty("repeats", repeats);
        o.addProperty("threads", threads);
        o.addProperty("seed", seed);
        o.add("latent", gson.toJsonTree(latentShape()));
        o.addProperty("text_tokens", textTokens());
        o.addProperty("text_width", textWidth());
        o.addProperty("pooled_width", pooledWidth());
        o.addProperty("time", time());
        if (!Double.isNaN(guidance())) {
            o.addProperty("guidance", guidance());
        }
        o.add("matmul", gson.toJsonTree(matmul()));
        return gson.toJson(o);
    }

    /** The setup {@link #toJson} wrote. */
    public static BackboneSetup fromJson(String json) {
        JsonObject o = JsonParser.parseString(json).getAsJsonObject();
        return new BackboneSetup(BackboneLayout.parse(o.get("backbone").getAsString()),
                new ComponentConfig(Path.of(o.get("config_file").getAsString()), o.getAsJsonObject("config")),
                o.get("image_size").getAsInt(), o.get("batch").getAsInt(), o.get("repeats").getAsInt(),
                o.get("threads").getAsInt(), o.get("seed").getAsLong());
    }
}
