package dev.asyncdiff.nn;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.pytorch.engine.PtNDArray;
import ai.djl.pytorch.jni.JniUtils;

import java.nio.Buffer;

/**
 * Native arrays made from Java data, in memory that PyTorch owns. Every array the project makes from Java data is
 * made here.
 *
 * <p>DJL 0.35.1's PyTorch engine does not copy what {@code NDManager.create} is given: on the CPU the tensor points
 * into a direct buffer ({@code torch::from_blob}) that only the Java wrapper keeps alive (DESIGN.md §4). Once the
 * wrapper is closed (an {@code NDScope} ending, a manager closing) while the tensor lives on natively, as a view
 * ({@code reshape}, {@code broadcast}, slicing), in a tensor that aliases its input, or saved by autograd for
 * backward, the buffer can be collected and its memory reused, and PyTorch reads whatever is there then. That is
 * the same use-after-free as that of DJL's scalar operations ({@link Ops#scaled}), which made about one training run in
 * twenty here take a corrupted step depending on when the garbage collector ran. The copy made here costs one memcpy
 * of data that crossed from Java anyway. For the same reason an existing array is refilled by {@link #copyInto},
 * never with {@code NDArray.set(Buffer)}, which points the array at a new direct buffer instead of copying.
 */
public final class NativeData {
    private NativeData() {
    }

    /** A float32 array of {@code shape} holding {@code data} (row-major). */
    public static NDArray of(NDManager manager, float[] data, Shape shape) {
        try (NDArray wrapped = manager.create(data, shape)) {
            return wrapped.duplicate();
        }
    }

    /** A float32 scalar (shape []) holding {@code value}, filled natively (no Java buffer at all). */
    public static NDArray scalar(NDManager manager, float value) {
        return manager.full(new Shape(), value, DataType.FLOAT32);
    }

    /** A one-dimensional float32 array holding {@code data}. */
    public static NDArray of(NDManager manager, float[] data) {
        return of(manager, data, new Shape(data.length));
    }

    /** An int64 array of {@code shape} holding {@code data} (row-major). */
    public static NDArray of(NDManager manager, long[] data, Shape shape) {
        try (NDArray wrapped = manager.create(data, shape)) {
            return wrapped.duplicate();
        }
    }

    /** A one-dimensional int64 array holding {@code data}. */
    public static NDArray of(NDManager manager, long[] data) {
        return of(manager, data, new Shape(data.length));
    }

    /**
     * An array of {@code type} from {@code data} stored as {@code stored} (e.g. a memory-mapped checkpoint tensor):
     * converted, or copied when the two types are the same.
     */
    public static NDArray of(NDManager manager, Buffer data, Shape shape, DataType stored, DataType type) {
        try (NDArray wrapped = manager.create(data, shape, stored)) {
            return stored == type ? wrapped.duplicate() : wrapped.toType(type, false);
        }
    }

    /**
     * Copies {@code data} (row-major, as many values as {@code target} holds) into {@code target}'s own memory, in
     * place: views of it and autograd see the new values; no gradient is recorded.
     */
    public static void copyInto(NDArray target, float[] data) {
        long[] shape = target.getShape().getShape();
        if (data.length != target.getShape().size()) {
            throw new IllegalArgumentException(data.length + " values cannot fill an array of shape "
                    + target.getShape());
        }
        long[] step = new long[shape.length];
        java.util.Arrays.fill(step, 1);
        // the source's wrapper stays open until the copy is made, so its Java buffer may back it directly
        try (NoGrad ignored = NoGrad.enter(); NDArray source = target.getManager().create(data, target.getShape())) {
            JniUtils.indexSet((PtNDArray) target, (PtNDArray) source, new long[shape.length], shape, step);
        }
    }
}
