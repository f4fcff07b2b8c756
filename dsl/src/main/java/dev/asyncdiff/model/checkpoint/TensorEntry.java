package dev.asyncdiff.model.checkpoint;

import java.nio.file.Path;
import java.util.Arrays;

/**
 * One tensor as a safetensors header describes it: where its bytes lie in which file, never the bytes themselves.
 *
 * @param position the absolute file position of its first byte
 */
public record TensorEntry(String name, TensorDType dtype, long[] shape, Path file, long position, long bytes) {

    /** Number of elements: the product of the shape (1 for a scalar). */
    public long elements() {
        return elements(shape);
    }

    static long elements(long[] shape) {
        long n = 1;
        for (long d : shape) {
            n = Math.multiplyExact(n, d);
        }
        return n;
    }

    /** The shape as the error messages write it, e.g. [1536, 16, 2, 2]. */
    public String shapeText() {
        return Arrays.toString(shape);
    }
}
