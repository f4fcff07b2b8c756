package dev.asyncdiff.model.sd3;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.pytorch.jni.JniUtils;
import dev.asyncdiff.model.AttentionMaps;
import dev.asyncdiff.model.Conditioning;
import dev.asyncdiff.model.FlowModel;
import dev.asyncdiff.model.LatentDecoder;
import dev.asyncdiff.model.PatchGrid;
import dev.asyncdiff.model.Timesteps;
import dev.asyncdiff.model.checkpoint.DiffusersFolder;
import dev.asyncdiff.model.clip.ClipTextEncoder;
import dev.asyncdiff.model.clip.ClipTextOutput;
import dev.asyncdiff.model.t5.T5Encoder;
import dev.asyncdiff.model.tiny.TinyFlowModel;
import dev.asyncdiff.model.tokenize.PromptTokenizer;
import dev.asyncdiff.model.vae.AutoencoderKl;
import dev.asyncdiff.world.ImageTensors;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Optional;

/**
 * SD3.5 (medium or large) as a {@link FlowModel} on a diffusers folder, composed as diffusers' StableDiffusion3Pipeline
 * composes it:
 * <ul>
 * <li>text tokens: the penultimate hidden states of CLIP-L and OpenCLIP-bigG (77 tokens each) concatenated along
 * the width (768 + 1280 = 2048), zero-padded to T5's width (4096), followed by T5's 256 tokens (333 in all);</li>
 * <li>pooled: both CLIP encoders' projected end-of-text embeddings concatenated (2048);</li>
 * <li>the unconditional row: the empty prompt encoded the same way (diffusers' default negative prompt);</li>
 * <li>velocity: the MMDiT at 1000·t. SD3's scheduler (FlowMatchEulerDiscreteScheduler) steps
 * x ← x + (σ_next − σ)·f(x, 1000·σ) on x_σ = (1 − σ)·x0 + σ·ε, so f ≈ ε − x0: the project's convention with t = σ,
 * no sign change;</li>
 * <li>images: the VAE decodes (z / scaling) + shift (AutoencoderKl).</li>
 * </ul>
 * The latent is [C, H/f, W/f] for an image of side H = W (f = the VAE's downscale); each position is one 2×2 patch
 * token of the transformer, whose per-token path conditions each token on its own time (the text stream on the
 * sample's mean time, see {@link Sd3Transformer}). Attention maps are the transformer's image→text maps over the
 * 333 token columns.
 */
public final class Sd35FlowModel implements FlowModel, AttentionMaps, AutoCloseable {
    /** The paper's SD3.5 resolution. */
    public static final int DEFAULT_IMAGE_SIZE = 512;
    /** Flow time → the transformer's timestep input. */
    static final float TIME_SCALE = 1000f;

    private final Sd3Transformer transformer;
    private final AutoencoderKl vae;
    private final ClipTextEncoder clipL;
    private final ClipTextEncoder clipG;
    private final T5Encoder t5;
    private final PromptTokenizer tokensL;
    private final PromptTokenizer tokensG;
    private final PromptTokenizer tokensT5;
    private final PatchGrid grid;
    private final int imageSize;
    private Sd35Conditioning empty;

    private Sd35FlowModel(List<AutoCloseable> parts, int imageSize) {
        this.transformer = (Sd3Transformer) parts.get(0);
        this.vae = (AutoencoderKl) parts.get(1);
        this.clipL = (ClipTextEncoder) parts.get(2);
        this.clipG = (ClipTextEncoder) parts.get(3);
        this.t5 = (T5Encoder) parts.get(4);
        this.tokensL = (PromptTokenizer) parts.get(5);
        this.tokensG = (PromptTokenizer) parts.get(6);
        this.tokensT5 = (PromptTokenizer) parts.get(7);
        this.imageSize = imageSize;
        Sd3Config c = transformer.config();
        int f = vae.config().downscale();
        if (imageSize < 1 || imageSize % (f * c.patch()) != 0) {
            throw new IllegalArgumentException("image size must be a positive multiple of " + f * c.patch()
                    + " (the VAE's factor " + f + " times the patch size " + c.patch() + "; got " + imageSize + ")");
        }
        int side = imageSize / f;
        if (side / c.patch() > c.posMaxSize()) {
            throw new IllegalArgumentException("image size " + imageSize + " is larger than the position table allows ("
                    + f * c.patch() * c.posMaxSize() + ")");
        }
        int clipWidth = clipL.config().width() + clipG.config().width();
        if (t5.config().dModel() != c.jointDim() || clipWidth > c.jointDim()
                || vae.config().latentChannels() != c.inChannels()) {
            throw new IllegalArgumentException("the components do not fit together: T5 width " + t5.config().dModel()
                    + " and CLIP widths " + clipWidth + " against the transformer's joint_attention_dim "
                    + c.jointDim() + ", VAE latent channels " + vae.config().latentChannels() + " against its "
                    + "in_channels " + c.inChannels());
        }
        this.grid = new PatchGrid(new int[] {c.inChannels(), side, side}, c.patch());
    }

    /**
     * Loads every component of a diffusers folder (each checked against the manifest of its config first) for
     * images of side {@code imageSize}; an IllegalArgumentException naming the first component that does not fit.
     */
    public static Sd35FlowModel load(Path dir, int imageSize) {
        DiffusersFolder folder = DiffusersFolder.open(dir);
        List<AutoCloseable> parts = new ArrayList<>();
        try {
            parts.add(Sd3Transformer.load(folder.component("transformer")));
            parts.add(AutoencoderKl.load(folder.component("vae")));
            parts.add(ClipTextEncoder.load(folder.component("text_encoder")));
            parts.add(ClipTextEncoder.load(folder.component("text_encoder_2")));
            parts.add(T5Encoder.open(folder.component("text_encoder_3")));
            parts.add(PromptTokenizer.open(folder.component("tokenizer"), PromptTokenizer.CLIP_LENGTH));
            parts.add(PromptTokenizer.open(folder.component("tokenizer_2"), PromptTokenizer.CLIP_LENGTH));
            parts.add(PromptTokenizer.open(folder.component("tokenizer_3"), PromptTokenizer.T5_LENGTH_SD3));
            return new Sd35FlowModel(parts, imageSize);
        } catch (RuntimeException e) {
            closeAll(parts);
            throw e;
        }
    }

    public int imageSize() {
        return imageSize;
    }

    @Override
    public int[] latentShape() {
        return grid.latentShape();
    }

    @Override
    public int positions() {
        return grid.positions();
    }

    @Override
    public int positionOf(int index) {
        return grid.positionOf(index);
    }

    /** Tokenizing is all that can refuse a prompt (long prompts are truncated, as diffusers does). */
    @Override
    public void validate(List<String> prompts) {
        tokensL.encode(prompts);
        tokensG.encode(prompts);
        tokensT5.encode(prompts);
    }

    @Override
    public Sd35Conditioning encode(List<String> prompts) {
        int b = prompts.size();
        JniUtils.setGradMode(false);
        try (NDManager m = NDManager.newBaseManager()) {
            PromptTokenizer.Tokens l = tokensL.encode(prompts);
            ClipTextOutput outL = clipL.encode(l.toArray(m));
            ClipTextOutput outG = clipG.encode(tokensG.encode(prompts).toArray(m));
            PromptTokenizer.Tokens t = tokensT5.encode(prompts);
            NDArray t5Tokens = t5.encode(t.toArray(m));
            NDArray clipTokens = outL.penultimate().concat(outG.penultimate(), -1);
            Shape s = clipTokens.getShape();
            NDArray padded = clipTokens.concat(m.zeros(new Shape(s.get(0), s.get(1),
                    t5Tokens.getShape().get(2) - s.get(2))), -1);
            NDArray context = padded.concat(t5Tokens, 1);
            NDArray pooled = outL.projected().concat(outG.projected(), -1);
            if (pooled.getShape().get(1) != transformer.config().pooledDim()) {
                throw new IllegalArgumentException("the CLIP encoders' projections give " + pooled.getShape().get(1)
                        + " pooled values; the transformer's pooled_projection_dim is "
                        + transformer.config().pooledDim());
            }
            List<List<String>> words = new ArrayList<>();
            for (int i = 0; i < b; i++) {
                words.add(columnWords(l.pieces().get(i), t.pieces().get(i)));
            }
            return new Sd35Conditioning(TinyFlowModel.rows(context, b), TinyFlowModel.rows(pooled, b), words);
        }
    }

    /** The word of each token column: CLIP-L's tokens, then T5's, without their word marks; "" for padding. */
    private static List<String> columnWords(List<String> clip, List<String> t5Pieces) {
        List<String> out = new ArrayList<>();
        for (int i = 0; i < PromptTokenizer.CLIP_LENGTH; i++) {
            out.add(i < clip.size() ? clip.get(i).replace("</w>", "") : "");
        }
        for (int i = 0; i < PromptTokenizer.T5_LENGTH_SD3; i++) {
            out.add(i < t5Pieces.size() ? t5Pieces.get(i).replace("\u2581", "") : "");
        }
        return out;
    }

    @Override
    public synchronized Sd35Conditioning unconditional(int n) {
        if (empty == null) {
            empty = encode(List.of(""));
        }
        return empty.repeat(n);
    }

    @Override
    public float[][] velocity(float[][] x, Timesteps t, Conditioning c) {
        return run(x, t, c, false).velocity();
    }

    @Override
    public float[][][][] crossAttention(float[][] x, Timesteps t, Conditioning c) {
        return run(x, t, c, true).attention();
    }

    @Override
    public Pass velocityWithAttention(float[][] x, Timesteps t, Conditioning c) {
        return run(x, t, c, true);
    }

    @Override
    public List<String> tokenWords(Conditioning c, int i) {
        return ((Sd35Conditioning) c).words().get(i);
    }

    private Pass run(float[][] x, Timesteps t, Conditioning c, boolean keepAttention) {
        Sd35Conditioning sc = (Sd35Conditioning) c;
        int b = x.length;
        if (t.size() != b || sc.size() != b) {
            throw new IllegalArgumentException("batch sizes disagree: " + b + " latents, " + t.size()
                    + " timesteps, " + sc.size() + " conditions");
        }
        int[] shape = grid.latentShape();
        Sd3Config config = transformer.config();
        JniUtils.setGradMode(false);
        try (NDManager m = NDManager.newBaseManager()) {
            NDArray xs = m.create(TinyFlowModel.flatten(x, latentSize()), new Shape(b, shape[0], shape[1], shape[2]));
            int width = config.jointDim();
            int tokens = sc.context()[0].length / width;
            NDArray context = m.create(TinyFlowModel.flatten(sc.context(), tokens * width), new Shape(b, tokens, width));
            NDArray pooled = m.create(TinyFlowModel.flatten(sc.pooled(), config.pooledDim()),
                    new Shape(b, config.pooledDim()));
            MmditOutput out = transformer.forward(xs, timeArray(m, t, b), context, pooled, keepAttention);
            return new Pass(TinyFlowModel.rows(out.velocity(), b),
                    keepAttention ? MmditOps.toArrays(out.imageToText()) : null);
        }
    }

    /** [B] per sample or [B, N] per image token, in the transformer's units (1000·t). */
    private NDArray timeArray(NDManager m, Timesteps t, int b) {
        if (t instanceof Timesteps.PerSample ps) {
            float[] data = new float[b];
            for (int i = 0; i < b; i++) {
                data[i] = (float) ps.t()[i] * TIME_SCALE;
            }
            return m.create(data, new Shape(b));
        }
        int n = positions();
        float[] data = new float[b * n];
        double[][] rows = ((Timesteps.PerToken) t).t();
        for (int i = 0; i < b; i++) {
            if (rows[i].length != n) {
                throw new IllegalArgumentException("per-token timesteps need " + n + " entries a row (one per image "
                        + "token); row " + i + " has " + rows[i].length);
            }
            for (int p = 0; p < n; p++) {
                data[i * n + p] = (float) rows[i][p] * TIME_SCALE;
            }
        }
        return m.create(data, new Shape(b, n));
    }

    /** Latents [B, C·h·w] → images [B, 3·H·W] (CHW, on the decoder's scale, unclamped). */
    public float[][] decodeImages(float[][] latents) {
        int b = latents.length;
        int[] shape = grid.latentShape();
        JniUtils.setGradMode(false);
        try (NDManager m = NDManager.newBaseManager()) {
            NDArray z = m.create(TinyFlowModel.flatten(latents, latentSize()),
                    new Shape(b, shape[0], shape[1], shape[2]));
            return TinyFlowModel.rows(vae.decode(z), b);
        }
    }

    @Override
    public Optional<LatentDecoder> decoder() {
        return Optional.of(latent -> ImageTensors.fromChw(decodeImages(new float[][] {latent})[0], imageSize,
                imageSize));
    }

    @Override
    public void close() {
        closeAll(new ArrayList<>(List.of(transformer, vae, clipL, clipG, t5, tokensL, tokensG, tokensT5)));
    }

    private static void closeAll(List<AutoCloseable> parts) {
        Collections.reverse(parts);
        for (AutoCloseable p : parts) {
            try {
                p.close();
            } catch (Exception e) {
                throw new IllegalStateException("closing " + p.getClass().getSimpleName() + ": " + e.getMessage(), e);
            }
        }
    }
}
