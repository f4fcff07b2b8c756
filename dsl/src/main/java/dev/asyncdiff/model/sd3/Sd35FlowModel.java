package dev.asyncdiff.model.sd3;

import ai.djl.Device;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.pytorch.jni.JniUtils;
import dev.asyncdiff.model.Conditioning;
import dev.asyncdiff.model.DiffusersFlowModel;
import dev.asyncdiff.model.Latents;
import dev.asyncdiff.model.Loading;
import dev.asyncdiff.model.ResidentText;
import dev.asyncdiff.model.Timesteps;
import dev.asyncdiff.model.checkpoint.DiffusersFolder;
import dev.asyncdiff.model.clip.ClipTextEncoder;
import dev.asyncdiff.model.clip.ClipTextOutput;
import dev.asyncdiff.model.device.Precision;
import dev.asyncdiff.model.t5.T5Encoder;
import dev.asyncdiff.model.t5.T5Residency;
import dev.asyncdiff.model.tokenize.PromptTokenizer;
import dev.asyncdiff.model.vae.AutoencoderKl;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * SD3.5 (medium or large) as a {@link dev.asyncdiff.model.FlowModel} on a diffusers folder, composed as diffusers'
 * StableDiffusion3Pipeline composes it:
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
 * Each position is one 2×2 patch token of the transformer, whose per-token path conditions each token on its own
 * time (the text stream on the sample's mean time, see {@link Sd3Transformer}). Attention maps are the
 * transformer's image→text maps over the 333 token columns: CLIP-L's words, then T5's.
 */
public final class Sd35FlowModel extends DiffusersFlowModel {
    /** Flow time → the transformer's timestep input. */
    static final float TIME_SCALE = 1000f;

    private final Sd3Transformer transformer;
    private final ClipTextEncoder clipL;
    private final ClipTextEncoder clipG;
    private final T5Encoder t5;
    private final PromptTokenizer tokensL;
    private final PromptTokenizer tokensG;
    private final PromptTokenizer tokensT5;
    private Sd35Conditioning empty;

    private Sd35FlowModel(Sd3Transformer transformer, AutoencoderKl vae, ClipTextEncoder clipL, ClipTextEncoder clipG,
                          T5Encoder t5, PromptTokenizer tokensL, PromptTokenizer tokensG, PromptTokenizer tokensT5,
                          int imageSize, Device device) {
        super(vae, transformer.config().inChannels(), transformer.config().patch(), imageSize,
                transformer.config().posMaxSize(), device, List.of(transformer, vae, clipL, clipG, t5, tokensL,
                        tokensG, tokensT5));
        Sd3Config c = transformer.config();
        int clipWidth = clipL.config().width() + clipG.config().width();
        if (t5.config().dModel() != c.jointDim() || clipWidth > c.jointDim()) {
            throw new IllegalArgumentException("the text encoders do not fit the transformer: T5 width "
                    + t5.config().dModel() + " and CLIP widths " + clipWidth + " against joint_attention_dim "
                    + c.jointDim());
        }
        this.transformer = transformer;
        this.clipL = clipL;
        this.clipG = clipG;
        this.t5 = t5;
        this.tokensL = tokensL;
        this.tokensG = tokensG;
        this.tokensT5 = tokensT5;
    }

    /** {@link #load(Path, Loading)} on the CPU for images of side {@code imageSize}. */
    public static Sd35FlowModel load(Path dir, int imageSize) {
        return load(dir, Loading.defaults().imageSize(imageSize));
    }

    /**
     * Loads every component of a diffusers folder (each checked against the manifest of its config first) as
     * {@code loading} says; an IllegalArgumentException naming the first component that does not fit.
     */
    public static Sd35FlowModel load(Path dir, Loading loading) {
        return load(dir, loading.imageSize(), loading.precision(), loading.t5());
    }

    /** {@link #load(Path, Loading)} with each component placed as {@code precision} says. */
    public static Sd35FlowModel load(Path dir, int imageSize, Precision precision, T5Residency residency) {
        DiffusersFolder folder = DiffusersFolder.open(dir);
        List<AutoCloseable> parts = new ArrayList<>();
        try {
            Sd3Transformer transformer = own(parts, Sd3Transformer.load(folder.component("transformer"),
                    precision.transformer()));
            AutoencoderKl vae = own(parts, AutoencoderKl.load(folder.component("vae"), precision.vae()));
            ClipTextEncoder clipL = own(parts, ClipTextEncoder.load(folder.component("text_encoder"),
                    precision.textEncoders()));
            ClipTextEncoder clipG = own(parts, ClipTextEncoder.load(folder.component("text_encoder_2"),
                    precision.textEncoders()));
            T5Encoder t5 = own(parts, T5Encoder.open(folder.component("text_encoder_3"), precision.t5(),
                    residency));
            int clip = PromptTokenizer.CLIP_LENGTH;
            PromptTokenizer tokensL = own(parts, PromptTokenizer.open(folder.component("tokenizer"), clip));
            PromptTokenizer tokensG = own(parts, PromptTokenizer.open(folder.component("tokenizer_2"), clip));
            PromptTokenizer tokensT5 = own(parts, PromptTokenizer.open(folder.component("tokenizer_3"),
                    PromptTokenizer.T5_LENGTH_SD3));
            return new Sd35FlowModel(transformer, vae, clipL, clipG, t5, tokensL, tokensG, tokensT5, imageSize,
                    precision.device());
        } catch (RuntimeException e) {
            throw closeAfter(parts, e);
        }
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
        try (NDManager m = scope()) {
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
                List<String> w = new ArrayList<>(columnWords(l.pieces().get(i), PromptTokenizer.CLIP_LENGTH, "</w>"));
                w.addAll(columnWords(t.pieces().get(i), PromptTokenizer.T5_LENGTH_SD3, "\u2581"));
                words.add(w);
            }
            return new Sd35Conditioning(Latents.rows(context), Latents.rows(pooled), words);
        }
    }

    @Override
    public synchronized Sd35Conditioning unconditional(int n) {
        if (empty == null) {
            empty = encode(List.of(""));
        }
        return empty.repeat(n);
    }

    @Override
    public List<String> tokenWords(Conditioning c, int i) {
        return ((Sd35Conditioning) c).words().get(i);
    }

    /** Uploads the text tokens and the pooled embedding once for a sampling run. */
    @Override
    public Conditioning resident(Conditioning c, NDManager manager) {
        Sd35Conditioning sc = (Sd35Conditioning) c;
        return sc.resident() != null ? sc : sc.with(sc.text(manager, transformer.config().jointDim()));
    }

    @Override
    protected NativePass run(NDManager m, NDArray latents, Timesteps t, Conditioning c, boolean keepAttention) {
        ResidentText text = ((Sd35Conditioning) c).text(m, transformer.config().jointDim());
        MmditOutput out = transformer.forward(latents, times(m, t, TIME_SCALE), text.context(), text.pooled(),
                keepAttention);
        return new NativePass(out.velocity(), keepAttention ? MmditOps.toArrays(out.imageToText()) : null);
    }
}
