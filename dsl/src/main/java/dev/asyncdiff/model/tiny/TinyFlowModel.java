package dev.asyncdiff.model.tiny;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.NDScope;
import ai.djl.ndarray.types.Shape;
import ai.djl.pytorch.jni.JniUtils;
import dev.asyncdiff.model.Conditioning;
import dev.asyncdiff.model.FlowModel;
import dev.asyncdiff.model.LatentDecoder;
import dev.asyncdiff.model.Latents;
import dev.asyncdiff.model.Timesteps;
import dev.asyncdiff.nn.NativeData;
import dev.asyncdiff.nn.NoGrad;

import java.awt.image.BufferedImage;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.Optional;

/**
 * The embedded backbone (DESIGN §3): a latent autoencoder (64×64×3 ↔ 16×16×4), a text encoder over the world's
 * vocabulary and a DiT velocity model with cross-attention and adaLN that accepts per-sample or per-token
 * (one per 2×2 latent patch) timesteps. All computation runs on the calling thread with autograd off.
 */
public final class TinyFlowModel implements FlowModel, AutoCloseable, dev.asyncdiff.model.AttentionMaps {
    private static final int[] LATENT_SHAPE = {LatentAutoencoder.LATENT_CHANNELS, LatentAutoencoder.LATENT,
            LatentAutoencoder.LATENT};
    private final NDManager manager;
    private final TinyNetworks nets;
    private final WeightsIdentity weights;
    /** The DiT that sampling runs: the networks' own with {@link InferenceFolding}'s constants folded in. */
    private final DiT sampling;

    private TinyFlowModel(NDManager manager, TinyNetworks nets, WeightsIdentity weights) {
        this.manager = manager;
        this.nets = nets;
        this.weights = weights;
        this.sampling = nets.dit.folded(manager);
    }

    /** The weights shipped on the classpath. */
    public static TinyFlowModel load() {
        NDManager m = NDManager.newBaseManager();
        try {
            return new TinyFlowModel(m, TinyNetworks.loadResources(m), WeightsIdentity.of(null));
        } catch (RuntimeException e) {
            m.close();
            throw e;
        }
    }

    /** Weights written by training (a checkpoint or export folder). */
    public static TinyFlowModel load(Path dir) {
        NDManager m = NDManager.newBaseManager();
        try {
            return new TinyFlowModel(m, TinyNetworks.load(m, dir), WeightsIdentity.of(dir));
        } catch (RuntimeException e) {
            m.close();
            throw e;
        }
    }

    /** Weights from bytes (safetensors and vocabulary text); {@code source} names them in errors. */
    public static TinyFlowModel fromBytes(byte[] weights, byte[] vocabulary, String source) {
        NDManager m = NDManager.newBaseManager();
        try {
            return new TinyFlowModel(m, TinyNetworks.decode(m, weights, vocabulary, source),
                    new WeightsIdentity(source, TinyNetworks.fingerprint(weights)));
        } catch (RuntimeException e) {
            m.close();
            throw e;
        }
    }

    /**
     * The weights' identity for a run's settings: {@code shipped} or the folder, with the first 12 hex digits of the
     * weights file's SHA-256, so that a resumed evaluation notices weights that changed under the same name.
     *
     * @param dir a folder of weights from training, or null for the shipped ones
     */
    public static String describeWeights(Path dir) {
        return WeightsIdentity.of(dir).toString();
    }

    /** The identity of the weights this model was loaded from; empty for networks still in training. */
    public Optional<WeightsIdentity> weights() {
        return Optional.ofNullable(weights);
    }

    /** The name of the weights file that {@link #save} writes (beside the vocabulary). */
    public static final String WEIGHTS_FILE = TinyNetworks.WEIGHTS;

    /** Writes the weights and vocabulary into {@code dir} (each file atomically), loadable by {@link #load(Path)}. */
    public void save(Path dir) throws java.io.IOException {
        nets.save(dir);
    }

    static TinyFlowModel wrap(NDManager manager, TinyNetworks nets) {
        return new TinyFlowModel(manager, nets, null);
    }

    public Tokenizer tokenizer() {
        return nets.tokenizer;
    }

    public long parameterCount() {
        return nets.parameterCount();
    }

    @Override
    public int[] latentShape() {
        return LATENT_SHAPE.clone();
    }

    @Override
    public int positions() {
        return DiT.TOKENS;
    }

    @Override
    public int positionOf(int index) {
        if (index < 0 || index >= latentSize()) {
            throw new IllegalArgumentException("latent index " + index + " is outside 0.." + (latentSize() - 1));
        }
        return DiT.tokenOf(index);
    }

    @Override
    public TinyConditioning encode(List<String> prompts) {
        int[][] ids = new int[prompts.size()][TinyNetworks.MAX_TOKENS];
        List<List<String>> words = new ArrayList<>();
        for (int i = 0; i < ids.length; i++) {
            int[] row = nets.tokenizer.encode(prompts.get(i));
            System.arraycopy(row, 0, ids[i], 0, row.length);
            words.add(Tokenizer.split(prompts.get(i)));
        }
        JniUtils.setGradMode(false);
        try (NDScope ignored = new NDScope()) {
            return toConditioning(nets.text.encode(manager, ids), words);
        }
    }

    /** Checks every prompt as {@link Tokenizer#validate} does, without running the text encoder. */
    @Override
    public void validate(List<String> prompts) {
        prompts.forEach(nets.tokenizer::validate);
    }

    @Override
    public TinyConditioning unconditional(int n) {
        JniUtils.setGradMode(false);
        try (NDScope ignored = new NDScope()) {
            return toConditioning(nets.text.unconditional(manager, n), Collections.nCopies(n, List.of()));
        }
    }

    private static TinyConditioning toConditioning(NDArray[] enc, List<List<String>> words) {
        int b = words.size();
        return new TinyConditioning(rows(enc[0], b), rows(enc[2], b), rows(enc[1], b), List.copyOf(words));
    }

    /** Uploads the text once and computes every block's cross-attention keys and values from it once. */
    @Override
    public Conditioning resident(Conditioning c, NDManager m) {
        TinyConditioning tc = (TinyConditioning) c;
        if (tc.resident() != null) {
            return tc;
        }
        try (NoGrad ignored = NoGrad.enter()) {
            TinyConditioning.Resident up = tc.arrays(m);
            return tc.with(new TinyConditioning.Resident(up.tokens(), up.mask(), up.pooled(),
                    sampling.crossKeys(up.tokens())));
        }
    }

    @Override
    public float[][] velocity(float[][] x, Timesteps t, Conditioning c) {
        try (NDManager call = manager.newSubManager()) {
            return rows(velocity(Latents.array(call, x), t, c), x.length);
        }
    }

    @Override
    public NDArray velocity(NDArray x, Timesteps t, Conditioning c) {
        return forward(x, t, c, false).velocity();
    }

    /**
     * Cross-attention probabilities of one forward pass, per block, averaged over heads:
     * [block][sample][position][token], each row summing to 1 over the valid tokens of that sample's prompt
     * ({@link TinyConditioning#words()} names them; padding columns are 0).
     */
    @Override
    public float[][][][] crossAttention(float[][] x, Timesteps t, Conditioning c) {
        return velocityWithAttention(x, t, c).attention();
    }

    @Override
    public Pass velocityWithAttention(float[][] x, Timesteps t, Conditioning c) {
        try (NDManager call = manager.newSubManager()) {
            NativePass p = velocityWithAttention(Latents.array(call, x), t, c);
            return new Pass(rows(p.velocity(), x.length), p.attention());
        }
    }

    @Override
    public NativePass velocityWithAttention(NDArray x, Timesteps t, Conditioning c) {
        return forward(x, t, c, true);
    }

    @Override
    public List<String> tokenWords(Conditioning c, int i) {
        return ((TinyConditioning) c).words().get(i);
    }

    /**
     * One forward pass on latents x [B, D] in their own manager: the velocity [B, D] lands there, everything else the
     * pass makes is freed, and the conditioning's tensors are read where they are resident.
     */
    private NativePass forward(NDArray x, Timesteps t, Conditioning c, boolean keepAttention) {
        TinyConditioning tc = (TinyConditioning) c;
        int b = (int) x.getShape().get(0);
        if (t.size() != b || tc.size() != b) {
            throw new IllegalArgumentException("batch sizes disagree: " + b + " latents, " + t.size()
                    + " timesteps, " + tc.size() + " conditions");
        }
        NDManager m = x.getManager();
        try (NoGrad ignored = NoGrad.enter(); NDScope scope = new NDScope()) {
            NDArray xs = x.reshape(b, LATENT_SHAPE[0], LATENT_SHAPE[1], LATENT_SHAPE[2]);
            TinyConditioning.Resident text = tc.arrays(m);
            List<NDArray[]> keys = text.crossKeys() != null ? text.crossKeys() : sampling.crossKeys(text.tokens());
            DiT.Output out = sampling.forward(xs, timeArray(m, t, b), keys, text.pooled(), text.mask(), keepAttention);
            NDArray v = out.velocity().reshape(b, latentSize());
            float[][][][] attn = keepAttention ? attention(out.crossAttention(), b) : null;
            NDScope.unregister(v);
            v.attach(m);
            return new NativePass(v, attn);
        }
    }

    /** Each block's head-averaged map [B, 64, L] as [block][sample][position][token]. */
    private static float[][][][] attention(List<NDArray> blocks, int b) {
        int l = TinyNetworks.MAX_TOKENS;
        float[][][][] attn = new float[blocks.size()][][][];
        for (int i = 0; i < attn.length; i++) {
            float[][] flat = rows(blocks.get(i), b);
            attn[i] = new float[b][DiT.TOKENS][];
            for (int s = 0; s < b; s++) {
                for (int p = 0; p < DiT.TOKENS; p++) {
                    attn[i][s][p] = Arrays.copyOfRange(flat[s], p * l, (p + 1) * l);
                }
            }
        }
        return attn;
    }

    private static NDArray timeArray(NDManager manager, Timesteps t, int b) {
        // A per-sample time stays [B, 1]: the time embedding and the modulation then run once per sample and
        // broadcast over the tokens, instead of 64 times on the same value.
        if (t instanceof Timesteps.PerSample ps) {
            float[] data = new float[b];
            for (int i = 0; i < b; i++) {
                data[i] = (float) ps.t()[i];
            }
            return NativeData.of(manager, data, new Shape(b, 1));
        }
        double[][] rows = ((Timesteps.PerToken) t).t();
        float[] data = new float[b * DiT.TOKENS];
        for (int i = 0; i < b; i++) {
            if (rows[i].length != DiT.TOKENS) {
                throw new IllegalArgumentException("per-token timesteps need " + DiT.TOKENS
                        + " entries a row (one per 2×2 latent patch); row " + i + " has " + rows[i].length);
            }
            for (int p = 0; p < DiT.TOKENS; p++) {
                data[i * DiT.TOKENS + p] = (float) rows[i][p];
            }
        }
        return NativeData.of(manager, data, new Shape(b, DiT.TOKENS));
    }

    /** Images [3·64·64] (CHW, in [−1, 1]) → latents in the flow model's scale. */
    public float[][] encodeImages(float[][] images) {
        int b = images.length;
        JniUtils.setGradMode(false);
        try (NDScope ignored = new NDScope()) {
            int s = LatentAutoencoder.IMAGE;
            NDArray z = nets.ae.encode(NativeData.of(manager, flatten(images, 3 * s * s), new Shape(b, 3, s, s)));
            return rows(z.mul(nets.ae.latentScale()), b);
        }
    }

    /** Latents in the flow model's scale → images [3·64·64] (CHW, clipped to [−1, 1]). */
    public float[][] decodeImages(float[][] latents) {
        int b = latents.length;
        JniUtils.setGradMode(false);
        try (NDScope ignored = new NDScope()) {
            NDArray z = NativeData.of(manager, flatten(latents, latentSize()),
                    new Shape(b, LATENT_SHAPE[0], LATENT_SHAPE[1], LATENT_SHAPE[2])).div(nets.ae.latentScale());
            return rows(nets.ae.decode(z).clip(-1f, 1f), b);
        }
    }

    @Override
    public Optional<LatentDecoder> decoder() {
        return Optional.of(latent -> toImage(decodeImages(new float[][] {latent})[0]));
    }

    /** A CHW image in [−1, 1] as an RGB image. */
    public static BufferedImage toImage(float[] chw) {
        int s = LatentAutoencoder.IMAGE;
        BufferedImage img = new BufferedImage(s, s, BufferedImage.TYPE_INT_RGB);
        for (int y = 0; y < s; y++) {
            for (int x = 0; x < s; x++) {
                int rgb = 0;
                for (int ch = 0; ch < 3; ch++) {
                    float v = chw[(ch * s + y) * s + x];
                    int q = Math.round((Math.max(-1f, Math.min(1f, v)) + 1f) * 127.5f);
                    rgb = (rgb << 8) | q;
                }
                img.setRGB(x, y, rgb);
            }
        }
        return img;
    }

    /** An RGB image as CHW floats in [−1, 1]. */
    public static float[] fromImage(BufferedImage img) {
        int s = LatentAutoencoder.IMAGE;
        if (img.getWidth() != s || img.getHeight() != s) {
            throw new IllegalArgumentException("the tiny model's images are " + s + "×" + s + "; got "
                    + img.getWidth() + "×" + img.getHeight());
        }
        float[] out = new float[3 * s * s];
        for (int y = 0; y < s; y++) {
            for (int x = 0; x < s; x++) {
                int rgb = img.getRGB(x, y);
                for (int ch = 0; ch < 3; ch++) {
                    int q = (rgb >> (16 - 8 * ch)) & 0xff;
                    out[(ch * s + y) * s + x] = q / 127.5f - 1f;
                }
            }
        }
        return out;
    }

    @Override
    public void close() {
        manager.close();
    }

    /** Rows of equal width as one row-major array. */
    public static float[] flatten(float[][] rows, int width) {
        float[] out = new float[rows.length * width];
        for (int i = 0; i < rows.length; i++) {
            if (rows[i].length != width) {
                throw new IllegalArgumentException("row " + i + " has " + rows[i].length + " entries; expected "
                        + width);
            }
            System.arraycopy(rows[i], 0, out, i * width, width);
        }
        return out;
    }

    /** An array whose first axis is the batch, as one flat row per sample. */
    public static float[][] rows(NDArray a, int b) {
        if (a.getShape().get(0) != b) {
            throw new IllegalArgumentException("an array of " + a.getShape().get(0) + " rows read as " + b);
        }
        return Latents.rows(a);
    }
}
