package dev.asyncdiff.model;

import ai.djl.Device;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.NDScope;
import ai.djl.ndarray.types.Shape;
import ai.djl.pytorch.jni.JniUtils;
import dev.asyncdiff.model.tiny.TinyFlowModel;
import dev.asyncdiff.model.vae.AutoencoderKl;
import dev.asyncdiff.nn.NativeData;
import dev.asyncdiff.nn.NoGrad;
import dev.asyncdiff.world.ImageTensors;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Optional;

/**
 * What the published text-to-image backbones (SD3.5, Flux.1) share as {@link FlowModel}s: square images of a chosen
 * side, a [C, H/f, W/f] latent (f the VAE's downscale) whose positions are the transformer's 2×2 patch tokens, the
 * float ↔ native conversions of a forward pass on the device the components are on, the VAE decoder, and the
 * components they own and close.
 */
public abstract class DiffusersFlowModel implements FlowModel, AttentionMaps, AutoCloseable {
    private final PatchGrid grid;
    private final AutoencoderKl vae;
    private final int imageSize;
    private final Device device;
    private final List<AutoCloseable> parts;

    /**
     * @param device where every component is, and where a pass makes its arrays
     * @param parts  every component, closed in reverse order by {@link #close}
     */
    protected DiffusersFlowModel(AutoencoderKl vae, int channels, int patch, int imageSize, int maxTokenSide,
                                 Device device, List<AutoCloseable> parts) {
        int f = vae.config().downscale();
        if (imageSize < 1 || imageSize % (f * patch) != 0) {
            throw new IllegalArgumentException("image size must be a positive multiple of " + f * patch
                    + " (the VAE's factor " + f + " times the patch size " + patch + "; got " + imageSize + ")");
        }
        if (imageSize / (f * patch) > maxTokenSide) {
            throw new IllegalArgumentException("image size " + imageSize + " is larger than this transformer allows ("
                    + f * patch * maxTokenSide + ")");
        }
        if (vae.config().latentChannels() != channels) {
            throw new IllegalArgumentException("the VAE's " + vae.config().latentChannels() + " latent channels do "
                    + "not match the transformer's " + channels);
        }
        this.grid = new PatchGrid(new int[] {channels, imageSize / f, imageSize / f}, patch);
        this.vae = vae;
        this.imageSize = imageSize;
        this.device = device;
        this.parts = List.copyOf(parts);
    }

    /** A manager for the arrays of one pass, on the components' device; the caller closes it. */
    protected NDManager scope() {
        return NDManager.newBaseManager(device);
    }

    /** Adds {@code part} to the parts loaded so far and returns it. */
    protected static <T extends AutoCloseable> T own(List<AutoCloseable> parts, T part) {
        parts.add(part);
        return part;
    }

    /** Closes the parts built so far, in reverse order, when loading fails; rethrows {@code failure}. */
    protected static RuntimeException closeAfter(List<AutoCloseable> parts, RuntimeException failure) {
        closeAll(parts);
        return failure;
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

    /**
     * One forward pass on latents [B, C, h, w] on the components' device: the velocity [B, C, h, w] and, when
     * {@code keepAttention}, the image→text maps. Arrays the pass makes go into {@code m} or its scope, both freed
     * after it.
     */
    protected abstract NativePass run(NDManager m, NDArray latents, Timesteps t, Conditioning c,
                                      boolean keepAttention);

    /** A manager for a sampling run's tensors: on the components' device. */
    @Override
    public NDManager newScope() {
        return scope();
    }

    @Override
    public float[][] velocity(float[][] x, Timesteps t, Conditioning c) {
        try (NDManager m = scope()) {
            return Latents.rows(velocity(Latents.array(m, x), t, c));
        }
    }

    @Override
    public NDArray velocity(NDArray x, Timesteps t, Conditioning c) {
        return pass(x, t, c, false).velocity();
    }

    @Override
    public float[][][][] crossAttention(float[][] x, Timesteps t, Conditioning c) {
        return velocityWithAttention(x, t, c).attention();
    }

    @Override
    public Pass velocityWithAttention(float[][] x, Timesteps t, Conditioning c) {
        try (NDManager m = scope()) {
            NativePass p = pass(Latents.array(m, x), t, c, true);
            return new Pass(Latents.rows(p.velocity()), p.attention());
        }
    }

    @Override
    public NativePass velocityWithAttention(NDArray x, Timesteps t, Conditioning c) {
        return pass(x, t, c, true);
    }

    /** The pass on x [B, D] wherever it lives; the velocity [B, D] lands in x's manager, on x's device. */
    private NativePass pass(NDArray x, Timesteps t, Conditioning c, boolean keepAttention) {
        int b = (int) x.getShape().get(0);
        if (t.size() != b || c.size() != b) {
            throw new IllegalArgumentException("batch sizes disagree: " + b + " latents, " + t.size()
                    + " timesteps, " + c.size() + " conditions");
        }
        int[] s = grid.latentShape();
        try (NoGrad ignored = NoGrad.enter(); NDScope temporaries = new NDScope(); NDManager m = scope()) {
            NDArray latents = x.toDevice(device, false).reshape(b, s[0], s[1], s[2]);
            NativePass p = run(m, latents, t, c, keepAttention);
            NDArray v = p.velocity().reshape(b, (long) s[0] * s[1] * s[2]).toDevice(x.getDevice(), false);
            NDScope.unregister(v);
            v.attach(x.getManager());
            return new NativePass(v, p.attention());
        }
    }

    /** Rows of equal length as one array [B, …rowShape]. */
    protected static NDArray array(NDManager m, float[][] rows, long... rowShape) {
        long[] shape = new long[rowShape.length + 1];
        shape[0] = rows.length;
        System.arraycopy(rowShape, 0, shape, 1, rowShape.length);
        return NativeData.of(m, TinyFlowModel.flatten(rows, (int) new Shape(rowShape).size()), new Shape(shape));
    }

    /** Latent rows as [B, C, h, w]. */
    protected NDArray latents(NDManager m, float[][] x) {
        int[] s = grid.latentShape();
        return array(m, x, s[0], s[1], s[2]);
    }

    /** Times · {@code units}: [B] per sample or [B, N] per image token. */
    protected NDArray times(NDManager m, Timesteps t, float units) {
        int b = t.size();
        if (t instanceof Timesteps.PerSample ps) {
            float[] data = new float[b];
            for (int i = 0; i < b; i++) {
                data[i] = (float) ps.t()[i] * units;
            }
            return NativeData.of(m, data, new Shape(b));
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
                data[i * n + p] = (float) rows[i][p] * units;
            }
        }
        return NativeData.of(m, data, new Shape(b, n));
    }

    /**
     * The word of each of {@code columns} token columns: the tokenizer's pieces without the word mark {@code mark}
     * (CLIP's "&lt;/w&gt;", T5's "▁"); "" for padding.
     */
    protected static List<String> columnWords(List<String> pieces, int columns, String mark) {
        List<String> out = new ArrayList<>(columns);
        for (int i = 0; i < columns; i++) {
            out.add(i < pieces.size() ? pieces.get(i).replace(mark, "") : "");
        }
        return out;
    }

    /** Latents [B, C·h·w] → images [B, 3·H·W] (CHW, on the decoder's scale, unclamped). */
    public float[][] decodeImages(float[][] latents) {
        JniUtils.setGradMode(false);
        try (NDManager m = scope()) {
            return Latents.rows(vae.decode(latents(m, latents)));
        }
    }

    @Override
    public Optional<LatentDecoder> decoder() {
        return Optional.of(latent -> ImageTensors.fromChw(decodeImages(new float[][] {latent})[0], imageSize,
                imageSize));
    }

    @Override
    public void close() {
        closeAll(parts);
    }

    private static void closeAll(List<AutoCloseable> parts) {
        List<AutoCloseable> reversed = new ArrayList<>(parts);
        Collections.reverse(reversed);
        for (AutoCloseable p : reversed) {
            try {
                p.close();
            } catch (Exception e) {
                throw new IllegalStateException("closing " + p.getClass().getSimpleName() + ": " + e.getMessage(), e);
            }
        }
    }
}
