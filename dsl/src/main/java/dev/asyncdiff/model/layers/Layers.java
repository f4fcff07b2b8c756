package dev.asyncdiff.model.layers;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Activation;
import ai.djl.nn.core.Linear;
import dev.asyncdiff.model.checkpoint.CheckpointWeights;
import dev.asyncdiff.nn.Ops;

import java.util.function.UnaryOperator;

/**
 * The functional layers the published encoders and decoders are built from, on checkpoint weights in PyTorch's
 * layouts (Linear [out, in], Conv2d [out, in, k, k], Embedding [vocabulary, width]), each reading its parameters at
 * the key prefix the checkpoint stores them under.
 * <p>
 * Activations are FP32 whatever type the weights are kept in ({@link dev.asyncdiff.model.device.Placement}): a
 * linear layer multiplies in its weight's type and widens the product back, a LayerNorm takes its parameters in the
 * activations' type, an embedding returns FP32 rows; elementwise products with FP16 weights promote to FP32.
 */
public final class Layers {
    private Layers() {
    }

    /** x·Wᵀ + b at {@code prefix.weight}, {@code prefix.bias}. */
    public static NDArray linear(NDArray x, CheckpointWeights w, String prefix) {
        return linear(x, w.get(prefix + ".weight"), w.get(prefix + ".bias"));
    }

    /** x·Wᵀ at {@code prefix.weight}. */
    public static NDArray linearNoBias(NDArray x, CheckpointWeights w, String prefix) {
        return linear(x, w.get(prefix + ".weight"), null);
    }

    /** x·Wᵀ (+ b unless null), multiplied in W's type, in x's type. */
    public static NDArray linear(NDArray x, NDArray weight, NDArray bias) {
        return linear(x, weight, bias, UnaryOperator.identity());
    }

    /**
     * x·Wᵀ (+ b unless null) in x's type. Where W is kept in a lower type than x (FP16 weights, FP32 activations),
     * x is rounded to W's type, multiplied there as PyTorch's autocast does, {@code onProduct} sees the product in
     * that type, and the result is widened back to x's type.
     */
    public static NDArray linear(NDArray x, NDArray weight, NDArray bias, UnaryOperator<NDArray> onProduct) {
        DataType type = x.getDataType();
        if (weight.getDataType() == type) {
            return Linear.linear(x, weight, bias).singletonOrThrow();
        }
        NDArray product = Linear.linear(x.toType(weight.getDataType(), false), weight, bias).singletonOrThrow();
        return onProduct.apply(product).toType(type, false);
    }

    /**
     * The rows of an embedding table [V, D] for integer ids of any shape: ids.shape + [D] in FP32, belonging to
     * the ids' manager (not the table's).
     */
    public static NDArray embedding(NDArray table, NDArray ids) {
        Shape s = ids.getShape();
        NDArray rows = table.get(new NDIndex("{}", ids.flatten()));
        rows.attach(ids.getManager());
        return rows.toType(DataType.FLOAT32, false).reshape(s.addAll(new Shape(table.getShape().get(1))));
    }

    /** LayerNorm over the last axis with the learned {@code prefix.weight} and {@code prefix.bias}. */
    public static NDArray layerNorm(NDArray x, CheckpointWeights w, String prefix, float eps) {
        NDArray g = like(w.get(prefix + ".weight"), x);
        return x.getNDArrayInternal().layerNorm(x, g.getShape(), g, like(w.get(prefix + ".bias"), x), eps)
                .singletonOrThrow();
    }

    /** A weight in x's type: itself, or a converted copy that belongs to x's manager (not the weights'). */
    private static NDArray like(NDArray weight, NDArray x) {
        if (weight.getDataType() == x.getDataType()) {
            return weight;
        }
        NDArray converted = weight.toType(x.getDataType(), false);
        converted.attach(x.getManager());
        return converted;
    }

    /** RMSNorm over the last axis: x / √(mean x² + ε) · g (no mean subtracted, no bias). */
    public static NDArray rmsNorm(NDArray x, NDArray g, float eps) {
        return x.div(x.square().mean(new int[] {-1}, true).add(eps).sqrt()).mul(g);
    }

    /**
     * GroupNorm of x [B, C, H, W]: mean and variance over each group of C / groups channels and all positions,
     * then the per-channel {@code prefix.weight} and {@code prefix.bias}.
     */
    public static NDArray groupNorm(NDArray x, int groups, CheckpointWeights w, String prefix, float eps) {
        Shape s = x.getShape();
        NDArray g = x.reshape(s.get(0), groups, -1);
        NDArray centred = g.sub(g.mean(new int[] {-1}, true));
        NDArray normed = centred.div(centred.square().mean(new int[] {-1}, true).add(eps).sqrt()).reshape(s);
        return normed.mul(w.get(prefix + ".weight").reshape(1, -1, 1, 1))
                .add(w.get(prefix + ".bias").reshape(1, -1, 1, 1));
    }

    /** A stride-1 convolution padded to keep the size (odd kernels): {@code prefix.weight}, {@code prefix.bias}. */
    public static NDArray conv(NDArray x, CheckpointWeights w, String prefix) {
        NDArray k = w.get(prefix + ".weight");
        return Ops.convolution(x, k, w.get(prefix + ".bias"), 1, k.getShape().get(2) / 2);
    }

    /** The exact GELU, x·Φ(x). */
    public static NDArray gelu(NDArray x) {
        return Activation.gelu(x);
    }

    /** GELU, tanh approximation: ½x(1 + tanh(√(2/π)(x + 0.044715x³))) (transformers' gelu_new). */
    public static NDArray geluTanh(NDArray x) {
        // two new arrays instead of eight (the MLP's widest activations): the same operations, accumulated in place
        NDArray inner = x.pow(3).muli(0.044715f).addi(x).muli((float) Math.sqrt(2 / Math.PI));
        return inner.tanh().addi(1f).muli(x).muli(0.5f);
    }

    /** OpenAI CLIP's quick GELU, x·σ(1.702x). */
    public static NDArray quickGelu(NDArray x) {
        return x.mul(Activation.sigmoid(x.mul(1.702f)));
    }
}
