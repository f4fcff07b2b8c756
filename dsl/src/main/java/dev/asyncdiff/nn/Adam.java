package dev.asyncdiff.nn;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.pytorch.engine.PtNDArray;
import ai.djl.pytorch.jni.JniUtils;
import dev.asyncdiff.io.Safetensors;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Adam (Kingma and Ba) with global gradient-norm clipping and an exponential moving average of the weights, with
 * state that can be checkpointed: the moments, the average and the step count are plain named tensors.
 */
public final class Adam {
    private static final float BETA1 = 0.9f;
    private static final float BETA2 = 0.999f;
    private static final float EPS = 1e-8f;

    private final Params params;
    private final Map<String, NDArray> m = new LinkedHashMap<>();
    private final Map<String, NDArray> v = new LinkedHashMap<>();
    private final Map<String, NDArray> ema = new LinkedHashMap<>();
    private final float emaDecay;
    private long step;

    public Adam(NDManager manager, Params params, float emaDecay) {
        this.params = params;
        this.emaDecay = emaDecay;
        params.all().forEach((name, p) -> {
            m.put(name, manager.zeros(p.getShape()));
            v.put(name, manager.zeros(p.getShape()));
            ema.put(name, p.duplicate());
        });
    }

    public long step() {
        return step;
    }

    /**
     * One update from the gradients left by backward, which are then zeroed. Returns the gradient norm before
     * clipping. The moment update is PyTorch's fused Adam kernel (one native call per tensor), with the bias
     * correction folded into its step size and the clipping into its gradient rescale.
     *
     * <p>A non-finite gradient norm skips the update (weights, moments, average and step count stay as they
     * were) and returns that norm: one bad batch must not poison the moments for good. PyTorch 2.7.1's CPU
     * convolution backward has been seen here to return NaN input gradients now and then under two OpenMP
     * threads, which is what this guards against.
     *
     * <p>Gradients are cleared with PyTorch's in-place {@code zero_} ({@link JniUtils#zeroGrad}, which the fused
     * update also ends with), never with {@code NDArray.set(Buffer)}: in DJL's PyTorch engine {@code set} does not
     * copy but points the tensor at a new direct buffer that only the calling Java wrapper keeps alive. Clearing
     * a gradient that way through the short-lived wrapper from {@code getGradient()} left the parameter's
     * {@code .grad} in freed memory once the wrapper was closed and the buffer collected; the next backward passes
     * accumulated into it. That corrupted the C heap: the crashes in glibc malloc seen in long training runs,
     * which followed non-finite gradients.
     */
    public double update(float lr, double clipNorm) {
        return update(lr, clipNorm, Double.POSITIVE_INFINITY);
    }

    /**
     * As {@link #update(float, double)}, but a gradient norm above {@code maxNorm} (a {@link GradientGuard} spike)
     * also skips the update, as a non-finite one does.
     */
    public double update(float lr, double clipNorm, double maxNorm) {
        JniUtils.setGradMode(false);
        Map<String, NDArray> grads = new LinkedHashMap<>();
        double sq = 0;
        for (Map.Entry<String, NDArray> e : params.all().entrySet()) {
            NDArray g = e.getValue().getGradient();
            grads.put(e.getKey(), g);
            double n = g.norm().getFloat();
            sq += n * n;
        }
        double norm = Math.sqrt(sq);
        if (!(norm <= maxNorm) || !Double.isFinite(norm)) {
            params.all().values().forEach(p -> JniUtils.zeroGrad((PtNDArray) p));
            return norm;
        }
        step++;
        float rescale = (float) Math.min(1.0, clipNorm / (norm + 1e-12));
        float corrected = (float) (lr * Math.sqrt(1 - Math.pow(BETA2, step)) / (1 - Math.pow(BETA1, step)));
        // The average warms up (as in common DiT training code) so that early weights do not linger.
        float decay = Math.min(emaDecay, (1f + step) / (10f + step));
        for (Map.Entry<String, NDArray> e : params.all().entrySet()) {
            NDArray p = e.getValue();
            NDArray g = grads.get(e.getKey());
            p.getNDArrayInternal().adamUpdate(new NDList(p, g, m.get(e.getKey()), v.get(e.getKey())), new NDList(p),
                    lr, corrected, 0f, rescale, -1f, BETA1, BETA2, EPS, true, false);
            ema.get(e.getKey()).muli(decay).addi(p.mul(1 - decay));
        }
        return norm;
    }

    /** The moving average of the weights, as arrays named like the parameters. */
    public Map<String, NDArray> average() {
        return ema;
    }

    public void exportState(Map<String, Safetensors.Tensor> out, String prefix) {
        out.put(prefix + "step", new Safetensors.Tensor(new int[] {1}, new float[] {step}));
        put(out, prefix + "m.", m);
        put(out, prefix + "v.", v);
        put(out, prefix + "ema.", ema);
    }

    public void importState(Map<String, Safetensors.Tensor> in, String prefix) {
        Safetensors.Tensor s = in.get(prefix + "step");
        if (s == null) {
            throw new IllegalArgumentException("checkpoint lacks optimizer state " + prefix + "step");
        }
        step = (long) s.data()[0];
        take(in, prefix + "m.", m);
        take(in, prefix + "v.", v);
        take(in, prefix + "ema.", ema);
    }

    private static void put(Map<String, Safetensors.Tensor> out, String prefix, Map<String, NDArray> arrays) {
        arrays.forEach((k, a) -> out.put(prefix + k, new Safetensors.Tensor(
                java.util.Arrays.stream(a.getShape().getShape()).mapToInt(Math::toIntExact).toArray(),
                a.toFloatArray())));
    }

    private static void take(Map<String, Safetensors.Tensor> in, String prefix, Map<String, NDArray> arrays) {
        arrays.forEach((k, a) -> {
            Safetensors.Tensor t = in.get(prefix + k);
            if (t == null || t.data().length != a.getShape().size()) {
                throw new IllegalArgumentException("checkpoint optimizer state " + prefix + k + " is missing or "
                        + "misshaped");
            }
            NativeData.copyInto(a, t.data());
        });
    }
}
