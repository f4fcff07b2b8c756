package dev.asyncdiff.nn;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import dev.asyncdiff.io.Safetensors;

import java.util.Arrays;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.SplittableRandom;

/**
 * The named weights of the tiny networks. A {@link Layout} lists every tensor with its shape and initialisation;
 * weights are created from a seed or loaded from safetensors tensors that must match the layout exactly.
 */
public final class Params {
    /** How a tensor starts before training. */
    public enum Init { ZERO, ONE, NORMAL_002, FAN_IN }

    public record Entry(int[] shape, Init init) {
    }

    /** The tensors a network needs, in a fixed order. */
    public static final class Layout {
        private final Map<String, Entry> entries = new LinkedHashMap<>();

        public Layout add(String name, Init init, int... shape) {
            if (entries.put(name, new Entry(shape, init)) != null) {
                throw new IllegalStateException("duplicate parameter " + name);
            }
            return this;
        }

        public Layout linear(String name, int in, int out) {
            return add(name + ".w", Init.FAN_IN, out, in).add(name + ".b", Init.ZERO, out);
        }

        public Layout zeroLinear(String name, int in, int out) {
            return add(name + ".w", Init.ZERO, out, in).add(name + ".b", Init.ZERO, out);
        }

        public Layout layerNorm(String name, int dim) {
            return add(name + ".g", Init.ONE, dim).add(name + ".b", Init.ZERO, dim);
        }

        public Layout conv(String name, int in, int out, int k) {
            return add(name + ".w", Init.FAN_IN, out, in, k, k).add(name + ".b", Init.ZERO, out);
        }

        public Layout upConv(String name, int in, int out) {
            return conv(name, in, 4 * out, 3);
        }

        public Map<String, Entry> entries() {
            return Collections.unmodifiableMap(entries);
        }
    }

    private final Map<String, NDArray> arrays;

    private Params(Map<String, NDArray> arrays) {
        this.arrays = arrays;
    }

    /** Fresh weights: fan-in scaled normals for matrices and kernels, as in PyTorch's default scale. */
    public static Params initialize(NDManager manager, Layout layout, long seed) {
        SplittableRandom random = new SplittableRandom(seed);
        Map<String, NDArray> out = new LinkedHashMap<>();
        for (Map.Entry<String, Entry> e : layout.entries().entrySet()) {
            int[] shape = e.getValue().shape();
            int n = Arrays.stream(shape).reduce(1, (a, b) -> a * b);
            float[] data = new float[n];
            double std = switch (e.getValue().init()) {
                case ZERO, ONE -> 0.0;
                case NORMAL_002 -> 0.02;
                case FAN_IN -> 1.0 / Math.sqrt(fanIn(e.getKey(), shape));
            };
            for (int i = 0; i < n; i++) {
                data[i] = e.getValue().init() == Init.ONE ? 1f : (float) (std * gaussian(random));
            }
            out.put(e.getKey(), NativeData.of(manager, data, shape(shape)));
        }
        return new Params(out);
    }

    /**
     * Weights from a file's tensors, named prefix + parameter name; a missing or misshaped tensor is an
     * IllegalArgumentException naming it.
     */
    public static Params load(NDManager manager, Layout layout, Map<String, Safetensors.Tensor> tensors, String prefix,
                       String source) {
        Map<String, NDArray> out = new LinkedHashMap<>();
        for (Map.Entry<String, Entry> e : layout.entries().entrySet()) {
            Safetensors.Tensor t = tensors.get(prefix + e.getKey());
            if (t == null) {
                throw new IllegalArgumentException(source + " lacks tensor " + prefix + e.getKey()
                        + " (weights from another model version?)");
            }
            if (!Arrays.equals(t.shape(), e.getValue().shape())) {
                throw new IllegalArgumentException(source + ": tensor " + prefix + e.getKey() + " has shape "
                        + Arrays.toString(t.shape()) + ", expected " + Arrays.toString(e.getValue().shape()));
            }
            out.put(e.getKey(), NativeData.of(manager, t.data(), shape(t.shape())));
        }
        return new Params(out);
    }

    /** Existing arrays as parameters, e.g. several networks' weights optimised together. */
    public static Params of(Map<String, NDArray> arrays) {
        return new Params(new LinkedHashMap<>(arrays));
    }

    /** Copies {@code values} (named like these parameters) into these parameters. */
    public void assign(Map<String, NDArray> values) {
        arrays.forEach((k, a) -> NativeData.copyInto(a, values.get(k).toFloatArray()));
    }

    public NDArray get(String name) {
        NDArray a = arrays.get(name);
        if (a == null) {
            throw new IllegalStateException("no parameter " + name);
        }
        return a;
    }

    public Map<String, NDArray> all() {
        return Collections.unmodifiableMap(arrays);
    }

    public void requireGradients() {
        arrays.values().forEach(a -> a.setRequiresGradient(true));
    }

    public long count() {
        return arrays.values().stream().mapToLong(a -> a.getShape().size()).sum();
    }

    /** The weights as safetensors tensors, names prefixed. */
    public void exportTo(Map<String, Safetensors.Tensor> out, String prefix) {
        for (Map.Entry<String, NDArray> e : arrays.entrySet()) {
            int[] shape = Arrays.stream(e.getValue().getShape().getShape()).mapToInt(Math::toIntExact).toArray();
            out.put(prefix + e.getKey(), new Safetensors.Tensor(shape, e.getValue().toFloatArray()));
        }
    }

    public static Shape shape(int[] dims) {
        return new Shape(Arrays.stream(dims).asLongStream().toArray());
    }

    private static int fanIn(String name, int[] shape) {
        int f = 1;
        for (int i = 1; i < shape.length; i++) {
            f *= shape[i];
        }
        return shape.length == 1 ? shape[0] : f;
    }

    public static double gaussian(SplittableRandom r) {
        double u1 = r.nextDouble();
        double u2 = r.nextDouble();
        return Math.sqrt(-2.0 * Math.log(1.0 - u1)) * Math.cos(2 * Math.PI * u2);
    }
}
