package dev.asyncdiff.model.sd3;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import dev.asyncdiff.model.checkpoint.CheckpointWeights;
import dev.asyncdiff.model.layers.Layers;
import dev.asyncdiff.nn.Ops;

import java.util.List;

/**
 * The functional pieces of the MMDiT that SD3 and Flux share, on checkpoint weights (PyTorch layouts: Linear weight
 * [out, in]).
 */
public final class MmditOps {
    /** LayerNorm (no affine) and RMSNorm epsilon of the SD3 and Flux blocks. */
    static final float EPS = 1e-6f;
    /** Sinusoidal timestep channels (cos half first: flip_sin_to_cos, downscale_freq_shift 0). */
    public static final int FREQUENCY_CHANNELS = 256;
    static final double MAX_PERIOD = 10000;

    private MmditOps() {
    }

    public static NDArray linear(NDArray x, CheckpointWeights w, String prefix) {
        return Layers.linear(x, w, prefix);
    }

    /** LayerNorm over the last axis without affine parameters. */
    public static NDArray layerNorm(NDArray x) {
        NDArray centred = x.sub(x.mean(new int[] {-1}, true));
        return centred.div(centred.square().mean(new int[] {-1}, true).add(EPS).sqrt());
    }

    /** A projection split into heads [B, H, T, d], each head RMS-normalised with the scale at {@code norm}.weight. */
    public static NDArray normedHeads(NDArray x, CheckpointWeights w, String projection, String norm, int heads) {
        return rmsNorm(Ops.splitHeads(linear(x, w, projection), heads), w.get(norm + ".weight"));
    }

    /** RMSNorm over the last axis with a learned scale: x / √(mean x² + ε) · g. */
    public static NDArray rmsNorm(NDArray x, NDArray g) {
        return x.div(x.square().mean(new int[] {-1}, true).add(EPS).sqrt()).mul(g);
    }

    /**
     * The adaLN modulation vectors: Linear(SiLU(temb)) split into {@code chunks} pieces of width D, each shaped to
     * broadcast over tokens: [B, 1, D] from a per-sample embedding [B, D], [B, N, D] from a per-token one.
     */
    public static NDList modulation(NDArray temb, CheckpointWeights w, String prefix, int chunks) {
        NDArray perToken = temb.getShape().dimension() == 2 ? temb.expandDims(1) : temb;
        return linear(Ops.silu(perToken), w, prefix).split(chunks, 2);
    }

    /** Linear → SiLU → Linear at {@code prefix}.linear_1 and .linear_2: the time, guidance and text embedders. */
    public static NDArray mlpEmbedder(NDArray x, CheckpointWeights w, String prefix) {
        return linear(Ops.silu(linear(x, w, prefix + ".linear_1")), w, prefix + ".linear_2");
    }

    /**
     * AdaLayerNormContinuous, the final norm of both transformers: LayerNorm(x)·(1 + scale) + shift with
     * (scale, shift) = Linear(SiLU(temb)) — scale first, unlike AdaLayerNormZero's (shift, scale, …).
     */
    public static NDArray continuousNorm(NDArray x, NDArray temb, CheckpointWeights w, String prefix) {
        NDList m = modulation(temb, w, prefix, 2);
        return Ops.modulate(layerNorm(x), m.get(1), m.get(0));
    }

    /** Linear → GELU (tanh) → Linear: diffusers' FeedForward at its keys net.0.proj and net.2. */
    public static NDArray feedForward(NDArray x, CheckpointWeights w, String prefix) {
        return linear(Layers.geluTanh(linear(x, w, prefix + ".net.0.proj")), w, prefix + ".net.2");
    }

    /**
     * Sinusoidal features of timesteps t (any shape, in the model's units, 1000·σ) on a new last axis:
     * [cos(t·f_i), sin(t·f_i)] with f_i = exp(−ln(10000)·i / 128), i < 128.
     */
    public static NDArray timestepFeatures(NDArray t) {
        int half = FREQUENCY_CHANNELS / 2;
        NDArray f = t.getManager().arange(0, half, 1, DataType.FLOAT32).mul((float) (-Math.log(MAX_PERIOD) / half))
                .exp();
        NDArray args = t.toType(DataType.FLOAT32, false).expandDims(-1).mul(f);
        return args.cos().concat(args.sin(), -1);
    }

    /**
     * The image→text attention of one joint attention, from its probabilities [B, H, L, L]: the rows of the image
     * queries restricted to the columns of the text keys, averaged over heads and renormalised to sum to 1 over
     * the text tokens, [B, N, S]. Averaging before renormalising weights each head by the share of its attention
     * that goes to the text, so heads that hardly look at the prompt hardly count.
     */
    public static NDArray imageToText(NDArray probs, long imageFrom, long imageTo, long textFrom, long textTo) {
        NDArray p = probs.get(new NDIndex(":, :, " + imageFrom + ":" + imageTo + ", " + textFrom + ":" + textTo))
                .mean(new int[] {1});
        return p.div(p.sum(new int[] {-1}, true));
    }

    /** Attention maps per block, [B, N, S] each, as Java arrays [block][sample][image token][text token]. */
    public static float[][][][] toArrays(List<NDArray> maps) {
        float[][][][] out = new float[maps.size()][][][];
        for (int i = 0; i < out.length; i++) {
            Shape s = maps.get(i).getShape();
            float[] flat = maps.get(i).toFloatArray();
            int b = (int) s.get(0);
            int n = (int) s.get(1);
            int len = (int) s.get(2);
            out[i] = new float[b][n][len];
            for (int j = 0; j < b; j++) {
                for (int k = 0; k < n; k++) {
                    System.arraycopy(flat, (j * n + k) * len, out[i][j][k], 0, len);
                }
            }
        }
        return out;
    }
}
