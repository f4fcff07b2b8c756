package dev.asyncdiff.model.sd3;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.types.DataType;
import ai.djl.nn.core.Linear;
import dev.asyncdiff.model.checkpoint.CheckpointWeights;
import dev.asyncdiff.nn.Ops;

/** The functional pieces of the MMDiT, on checkpoint weights (PyTorch layouts: Linear weight [out, in]). */
final class MmditOps {
    /** LayerNorm (no affine) and RMSNorm epsilon of the SD3 blocks. */
    static final float EPS = 1e-6f;
    /** Sinusoidal timestep channels (cos half first: flip_sin_to_cos, downscale_freq_shift 0). */
    static final int FREQUENCY_CHANNELS = 256;
    static final double MAX_PERIOD = 10000;

    private MmditOps() {
    }

    static NDArray linear(NDArray x, CheckpointWeights w, String prefix) {
        return Linear.linear(x, w.get(prefix + ".weight"), w.get(prefix + ".bias")).singletonOrThrow();
    }

    /** LayerNorm over the last axis without affine parameters. */
    static NDArray layerNorm(NDArray x) {
        NDArray centred = x.sub(x.mean(new int[] {-1}, true));
        return centred.div(centred.square().mean(new int[] {-1}, true).add(EPS).sqrt());
    }

    /** RMSNorm over the last axis with a learned scale: x / √(mean x² + ε) · g. */
    static NDArray rmsNorm(NDArray x, NDArray g) {
        return x.div(x.square().mean(new int[] {-1}, true).add(EPS).sqrt()).mul(g);
    }

    /**
     * The adaLN modulation vectors: Linear(SiLU(temb)) split into {@code chunks} pieces of width D, each shaped to
     * broadcast over tokens: [B, 1, D] from a per-sample embedding [B, D], [B, N, D] from a per-token one.
     */
    static NDList modulation(NDArray temb, CheckpointWeights w, String prefix, int chunks) {
        NDArray perToken = temb.getShape().dimension() == 2 ? temb.expandDims(1) : temb;
        return linear(Ops.silu(perToken), w, prefix).split(chunks, 2);
    }

    /** GELU, tanh approximation: ½x(1 + tanh(√(2/π)(x + 0.044715x³))). */
    static NDArray geluTanh(NDArray x) {
        NDArray inner = x.add(x.pow(3).mul(0.044715f)).mul((float) Math.sqrt(2 / Math.PI));
        return x.mul(inner.tanh().add(1f)).mul(0.5f);
    }

    /** Linear → GELU (tanh) → Linear: diffusers' FeedForward at its keys net.0.proj and net.2. */
    static NDArray feedForward(NDArray x, CheckpointWeights w, String prefix) {
        return linear(geluTanh(linear(x, w, prefix + ".net.0.proj")), w, prefix + ".net.2");
    }

    /**
     * Sinusoidal features of timesteps t (any shape, in the model's units, 1000·σ) on a new last axis:
     * [cos(t·f_i), sin(t·f_i)] with f_i = exp(−ln(10000)·i / 128), i < 128.
     */
    static NDArray timestepFeatures(NDArray t) {
        int half = FREQUENCY_CHANNELS / 2;
        NDArray f = t.getManager().arange(0, half, 1, DataType.FLOAT32).mul((float) (-Math.log(MAX_PERIOD) / half))
                .exp();
        NDArray args = t.toType(DataType.FLOAT32, false).expandDims(-1).mul(f);
        return args.cos().concat(args.sin(), -1);
    }
}
