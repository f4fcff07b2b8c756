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

    /** x·(1 + scale) + shift with per-sample modulation [B, D] broadcast over the tokens of x [B, T, D]. */
    static NDArray modulate(NDArray x, NDArray shift, NDArray scale) {
        return Ops.modulate(x, shift.expandDims(1), scale.expandDims(1));
    }

    /** The adaLN modulation vectors: Linear(SiLU(temb)) split into {@code chunks} pieces of width D. */
    static NDList modulation(NDArray temb, CheckpointWeights w, String prefix, int chunks) {
        return linear(Ops.silu(temb), w, prefix).split(chunks, 1);
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
     * Sinusoidal features of timesteps t [B] (in the model's units, 1000·σ): [cos(t·f_i), sin(t·f_i)] with
     * f_i = exp(−ln(10000)·i / 128), i < 128.
     */
    static NDArray timestepFeatures(NDArray t) {
        int half = FREQUENCY_CHANNELS / 2;
        NDArray f = t.getManager().arange(0, half, 1, DataType.FLOAT32).mul((float) (-Math.log(MAX_PERIOD) / half))
                .exp();
        NDArray args = t.toType(DataType.FLOAT32, false).expandDims(1).mul(f.expandDims(0));
        return args.cos().concat(args.sin(), -1);
    }
}
