package dev.asyncdiff.nn;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDArrays;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Activation;
import ai.djl.nn.core.Linear;
import ai.djl.pytorch.jni.JniUtils;

/** The functional building blocks of the tiny networks; weights follow PyTorch's layouts ([out, in, …]). */
public final class Ops {
    private Ops() {
    }

    public static NDArray linear(NDArray x, Params p, String name) {
        return Linear.linear(x, p.get(name + ".w"), p.get(name + ".b")).singletonOrThrow();
    }

    public static NDArray layerNorm(NDArray x, Params p, String name) {
        NDArray g = p.get(name + ".g");
        return x.getNDArrayInternal().layerNorm(x, g.getShape(), g, p.get(name + ".b"), 1e-5f).singletonOrThrow();
    }

    /**
     * x·s for a number s, in a form autograd can differentiate safely. DJL's {@code x.mul(Number)} (likewise
     * {@code div}, {@code minimum}, {@code maximum}) wraps the number in a tensor that points into a Java buffer
     * and closes it as soon as the product is made; autograd keeps that tensor for the backward pass (the gradient of
     * x is grad·s), so a garbage collection in between left backward reading freed memory: the attention-score scale
     * of the tiny DiT and the x²/2 of the TPM's φ read as 0 or as garbage now and then (the corrupted training steps
     * of 2026-12, {@link NativeData}). Here the number lives in PyTorch's memory. Without gradients either form is
     * safe.
     */
    public static NDArray scaled(NDArray x, float s) {
        return withScalar(x, s, NDArray::mul);
    }

    /** x / s, differentiable safely (see {@link #scaled}). */
    public static NDArray divided(NDArray x, float s) {
        return withScalar(x, s, NDArray::div);
    }

    /** min(x, s) elementwise, differentiable safely (see {@link #scaled}). */
    public static NDArray atMost(NDArray x, float s) {
        return withScalar(x, s, NDArray::minimum);
    }

    /** max(x, s) elementwise, differentiable safely (see {@link #scaled}). */
    public static NDArray atLeast(NDArray x, float s) {
        return withScalar(x, s, NDArray::maximum);
    }

    /** op(x, s) with s a scalar array in PyTorch's memory, freed once the result exists (autograd holds its own). */
    private static NDArray withScalar(NDArray x, float s, java.util.function.BinaryOperator<NDArray> op) {
        try (NDArray c = NativeData.scalar(x.getManager(), s)) {
            return op.apply(x, c);
        }
    }

    /**
     * The frequencies of a sinusoidal time embedding with {@code half} sine and {@code half} cosine features:
     * 10000^(−i/half), i = 0 … half − 1 (DiT's, and the TPM's).
     */
    public static float[] sinusoidFrequencies(int half) {
        float[] out = new float[half];
        for (int i = 0; i < half; i++) {
            out[i] = (float) Math.exp(-Math.log(10000.0) * i / half);
        }
        return out;
    }

    public static NDArray silu(NDArray x) {
        return x.mul(Activation.sigmoid(x));
    }

    public static NDArray gelu(NDArray x) {
        return Activation.gelu(x);
    }

    /**
     * PyTorch 2.7.1's CPU convolution backward (oneDNN) was seen here to return NaN gradients now and then with two
     * threads when a convolution has fewer than 16 output channels: 32→3 at 64×64 in 9 of 120 backward passes, and
     * none in 240 once zero filters pad it to 16 or 32 outputs. Convolutions whose weights train are padded so; the extra
     * outputs are cut off again, so the result is the same convolution.
     */
    public static final int MIN_TRAINED_FILTERS = 16;

    /**
     * A batch of one takes a path in PyTorch 2.7.1's CPU convolution that asks NNPACK first; where NNPACK cannot
     * start (this machine's CPU is reported "unsupported") it logs a warning to stderr on every call. A single image
     * is therefore convolved as a batch of two copies and the first kept.
     */
    private static final int SMALLEST_BATCH = 2;

    /** A 'same'-padded convolution with odd kernel, or a stride-2 downsampling one with a 4×4 kernel. */
    public static NDArray conv(NDArray x, Params p, String name, int stride) {
        NDArray w = p.get(name + ".w");
        NDArray b = p.get(name + ".b");
        Shape ws = w.getShape();
        long filters = ws.get(0);
        boolean padFilters = w.hasGradient() && filters < MIN_TRAINED_FILTERS;
        if (padFilters) {
            long extra = MIN_TRAINED_FILTERS - filters;
            w = NDArrays.concat(new NDList(w, w.getManager().zeros(new Shape(extra, ws.get(1), ws.get(2), ws.get(3)))));
            b = NDArrays.concat(new NDList(b, b.getManager().zeros(new Shape(extra))));
        }
        long k = ws.get(2);
        NDArray y = convolution(x, w, b, stride, stride == 1 ? k / 2 : (k - stride) / 2);
        return padFilters ? y.get(new NDIndex(":, 0:" + filters)) : y;
    }

    /** A 2D convolution of x [B, C, H, W] with weight [out, C, k, k] and bias [out], equal padding on every side. */
    public static NDArray convolution(NDArray x, NDArray w, NDArray b, int stride, long pad) {
        if (x.getShape().get(0) < SMALLEST_BATCH) {
            return convolution(NDArrays.concat(new NDList(x, x)), w, b, stride, pad).get(new NDIndex("0:1"));
        }
        return x.getNDArrayInternal().convolution(x, w, b, new Shape(stride, stride), new Shape(pad, pad),
                new Shape(1, 1), 1).singletonOrThrow();
    }

    /** Doubles height and width: a 3×3 convolution to 4× the channels, then a pixel shuffle (ESPCN). */
    public static NDArray upConv(NDArray x, Params p, String name) {
        NDArray h = conv(x, p, name, 1);
        Shape s = h.getShape();
        long c = s.get(1) / 4;
        return h.reshape(s.get(0), c, 2, 2, s.get(2), s.get(3)).transpose(0, 1, 4, 2, 5, 3)
                .reshape(s.get(0), c, 2 * s.get(2), 2 * s.get(3));
    }

    /** [B, T, C] → [B, H, T, C/H]. */
    public static NDArray splitHeads(NDArray x, int heads) {
        Shape s = x.getShape();
        return x.reshape(s.get(0), s.get(1), heads, s.get(2) / heads).transpose(0, 2, 1, 3);
    }

    /** [B, H, T, D] → [B, T, H·D]. */
    public static NDArray mergeHeads(NDArray x) {
        Shape s = x.getShape();
        return x.transpose(0, 2, 1, 3).reshape(s.get(0), s.get(2), s.get(1) * s.get(3));
    }

    /**
     * Scaled dot-product attention softmax(q·kᵀ/√d + bias)·v on head-split inputs. Returns the output and the
     * attention probabilities [B, H, T, S].
     */
    public static NDArray[] attention(NDArray q, NDArray k, NDArray v, NDArray bias) {
        return attention(q, k, v, bias, (float) (1.0 / Math.sqrt(q.getShape().get(3))));
    }

    /** The same with the scores scaled by {@code scale} (1: the queries already carry 1/√d). */
    public static NDArray[] attention(NDArray q, NDArray k, NDArray v, NDArray bias, float scale) {
        NDArray scores = q.matMul(k.transpose(0, 1, 3, 2));
        // In inference the scores are scaled (and biased) in place: no second array of the attention's largest size.
        boolean inPlace = !JniUtils.isGradMode();
        if (scale != 1f) {
            scores = inPlace ? scores.muli(scale) : scaled(scores, scale);
        }
        if (bias != null) {
            scores = inPlace ? scores.addi(bias) : scores.add(bias);
        }
        NDArray probs = scores.softmax(-1);
        return new NDArray[] {probs.matMul(v), probs};
    }

    /** Key-padding bias [B, 1, 1, S]: 0 where mask is 1, a large negative number where it is 0. */
    public static NDArray paddingBias(NDArray mask) {
        Shape s = mask.getShape();
        return mask.sub(1f).mul(1e9f).reshape(s.get(0), 1, 1, s.get(1));
    }

    /** x·(1 + scale) + shift: adaptive layer-norm modulation (DiT). */
    public static NDArray modulate(NDArray x, NDArray shift, NDArray scale) {
        return x.mul(scale.add(1f)).addi(shift); // in place on the product, which no gradient needs
    }

    public static NDArray concatLast(NDArray a, NDArray b) {
        return NDArrays.concat(new NDList(a, b), -1);
    }
}
