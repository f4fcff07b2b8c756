package dev.asyncdiff.model.flux;

import ai.djl.Device;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.pytorch.jni.JniUtils;
import dev.asyncdiff.model.Conditioning;
import dev.asyncdiff.model.DiffusersFlowModel;
import dev.asyncdiff.model.Latents;
import dev.asyncdiff.model.Loading;
import dev.asyncdiff.model.ResidentText;
import dev.asyncdiff.model.Timesteps;
import dev.asyncdiff.model.checkpoint.DiffusersFolder;
import dev.asyncdiff.model.clip.ClipTextEncoder;
import dev.asyncdiff.model.device.Precision;
import dev.asyncdiff.model.sd3.MmditOps;
import dev.asyncdiff.model.sd3.MmditOutput;
import dev.asyncdiff.model.t5.T5Encoder;
import dev.asyncdiff.model.t5.T5Residency;
import dev.asyncdiff.model.tokenize.PromptTokenizer;
import dev.asyncdiff.model.vae.AutoencoderKl;
import dev.asyncdiff.nn.NativeData;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Flux.1 (dev, or schnell without a guidance input) as a {@link dev.asyncdiff.model.FlowModel} on a diffusers
 * folder, composed as diffusers' FluxPipeline composes it:
 * <ul>
 * <li>text tokens: T5's 512 tokens; pooled: CLIP-L's end-of-text embedding after its final LayerNorm, without a
 * projection (768);</li>
 * <li>guidance: Flux.1-dev takes the scale as an input ({@link #withGuidanceInput}; the pipeline's
 * DistilledGuidance), the transformer embeds 1000·g;</li>
 * <li>the unconditional row: the empty prompt encoded the same way (only classifier-free guidance asks for it);</li>
 * <li>velocity: the transformer at σ = t (it multiplies by 1000 itself); its latent is the VAE's [16, H/8, W/8],
 * packed 2×2 into tokens ({@link FluxLatents}) with their RoPE ids, and Flux's scheduler steps
 * x ← x + (σ_next − σ)·f as SD3's does, so f ≈ ε − x0, the project's convention;</li>
 * <li>images: the VAE decodes (z / 0.3611) + 0.1159 with Flux's factors from its config.</li>
 * </ul>
 * Each position is one packed token, conditioned on its own time by the transformer's per-token path. Attention
 * maps are image→text over T5's 512 token columns, double-stream blocks then single-stream blocks.
 */
public final class FluxFlowModel extends DiffusersFlowModel {
    private final FluxTransformer transformer;
    private final ClipTextEncoder clip;
    private final T5Encoder t5;
    private final PromptTokenizer tokensClip;
    private final PromptTokenizer tokensT5;
    private FluxConditioning empty;

    private FluxFlowModel(FluxTransformer transformer, AutoencoderKl vae, ClipTextEncoder clip, T5Encoder t5,
                          PromptTokenizer tokensClip, PromptTokenizer tokensT5, int imageSize, Device device) {
        super(vae, transformer.config().latentChannels(), FluxConfig.PACK, imageSize, Integer.MAX_VALUE, device,
                List.of(transformer, vae, clip, t5, tokensClip, tokensT5));
        FluxConfig c = transformer.config();
        if (t5.config().dModel() != c.jointDim() || clip.config().width() != c.pooledDim()) {
            throw new IllegalArgumentException("the text encoders do not fit the transformer: T5 width "
                    + t5.config().dModel() + " against joint_attention_dim " + c.jointDim() + ", CLIP width "
                    + clip.config().width() + " against pooled_projection_dim " + c.pooledDim());
        }
        this.transformer = transformer;
        this.clip = clip;
        this.t5 = t5;
        this.tokensClip = tokensClip;
        this.tokensT5 = tokensT5;
    }

    /** {@link #load(Path, Loading)} on the CPU for images of side {@code imageSize}. */
    public static FluxFlowModel load(Path dir, int imageSize) {
        return load(dir, Loading.defaults().imageSize(imageSize));
    }

    /**
     * Loads every component of a diffusers folder (each checked against the manifest of its config first) as
     * {@code loading} says; an IllegalArgumentException naming the first component that does not fit.
     */
    public static FluxFlowModel load(Path dir, Loading loading) {
        return load(dir, loading.imageSize(), loading.precision(), loading.t5());
    }

    /** {@link #load(Path, Loading)} with each component placed as {@code precision} says. */
    public static FluxFlowModel load(Path dir, int imageSize, Precision precision, T5Residency residency) {
        DiffusersFolder folder = DiffusersFolder.open(dir);
        List<AutoCloseable> parts = new ArrayList<>();
        try {
            FluxTransformer transformer = own(parts, FluxTransformer.load(folder.component("transformer"),
                    precision.transformer()));
            AutoencoderKl vae = own(parts, AutoencoderKl.load(folder.component("vae"), precision.vae()));
            ClipTextEncoder clip = own(parts, ClipTextEncoder.load(folder.component("text_encoder"),
                    precision.textEncoders()));
            T5Encoder t5 = own(parts, T5Encoder.open(folder.component("text_encoder_2"), precision.t5(),
                    residency));
            PromptTokenizer tokensClip = own(parts, PromptTokenizer.open(folder.component("tokenizer"),
                    PromptTokenizer.CLIP_LENGTH));
            PromptTokenizer tokensT5 = own(parts, PromptTokenizer.open(folder.component("tokenizer_2"),
                    PromptTokenizer.T5_LENGTH_FLUX));
            return new FluxFlowModel(transformer, vae, clip, t5, tokensClip, tokensT5, imageSize,
                    precision.device());
        } catch (RuntimeException e) {
            throw closeAfter(parts, e);
        }
    }

    /** Whether this checkpoint takes a distilled guidance scale (Flux.1-dev) rather than none (schnell). */
    public boolean guidanceDistilled() {
        return transformer.config().guidance();
    }

    /** Tokenizing is all that can refuse a prompt (long prompts are truncated, as diffusers does). */
    @Override
    public void validate(List<String> prompts) {
        tokensClip.encode(prompts);
        tokensT5.encode(prompts);
    }

    @Override
    public FluxConditioning encode(List<String> prompts) {
        int b = prompts.size();
        JniUtils.setGradMode(false);
        try (NDManager m = scope()) {
            NDArray pooled = clip.encode(tokensClip.encode(prompts).toArray(m)).pooled();
            PromptTokenizer.Tokens t = tokensT5.encode(prompts);
            NDArray context = t5.encode(t.toArray(m));
            List<List<String>> words = new ArrayList<>();
            for (int i = 0; i < b; i++) {
                words.add(columnWords(t.pieces().get(i), PromptTokenizer.T5_LENGTH_FLUX, "\u2581"));
            }
            return FluxConditioning.unguided(Latents.rows(context), Latents.rows(pooled), words);
        }
    }

    @Override
    public synchronized FluxConditioning unconditional(int n) {
        if (empty == null) {
            empty = encode(List.of(""));
        }
        return empty.repeat(n);
    }

    @Override
    public Conditioning withGuidanceInput(Conditioning c, double scale) {
        if (!guidanceDistilled()) {
            throw new IllegalStateException("this Flux checkpoint has no guidance embedding (Flux.1-schnell): sample "
                    + "it without guidance (.cfg(1))");
        }
        return ((FluxConditioning) c).withGuidance(scale);
    }

    @Override
    public List<String> tokenWords(Conditioning c, int i) {
        return ((FluxConditioning) c).words().get(i);
    }

    /** Uploads T5's tokens and the pooled embedding once for a sampling run. */
    @Override
    public Conditioning resident(Conditioning c, NDManager manager) {
        FluxConditioning fc = (FluxConditioning) c;
        return fc.resident() != null ? fc : fc.with(fc.text(manager, transformer.config().jointDim()));
    }

    @Override
    protected NativePass run(NDManager m, NDArray latents, Timesteps t, Conditioning c, boolean keepAttention) {
        FluxConditioning fc = (FluxConditioning) c;
        ResidentText text = fc.text(m, transformer.config().jointDim());
        MmditOutput out = transformer.forward(latents, times(m, t, 1f), guidance(m, fc), text.context(),
                text.pooled(), keepAttention);
        return new NativePass(out.velocity(), keepAttention ? MmditOps.toArrays(out.imageToText()) : null);
    }

    /** The rows' guidance scales [B] for a guidance-distilled transformer, else null. */
    private NDArray guidance(NDManager m, FluxConditioning c) {
        if (!guidanceDistilled()) {
            return null;
        }
        float[] g = new float[c.size()];
        for (int i = 0; i < g.length; i++) {
            if (Double.isNaN(c.guidance()[i])) {
                throw new IllegalStateException("Flux.1-dev takes its guidance scale as an input: sample it with "
                        + "distilled guidance (Pipeline.flux(dir) does; .distilledGuidance(g))");
            }
            g[i] = (float) c.guidance()[i];
        }
        return NativeData.of(m, g);
    }
}
