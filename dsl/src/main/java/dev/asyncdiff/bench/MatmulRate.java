package dev.asyncdiff.bench;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;

/**
 * The rate of one FP32 matrix product [m, k] × [k, n] on this engine, in GFLOP/s (2·m·k·n per product): the
 * ceiling a forward pass made of such products could reach on this machine, measured in the same process as the
 * pass. The fastest of several products counts: other work on the machine can only slow a product down, and a
 * ceiling lowered by it would make the pass look more efficient than it is.
 */
public final class MatmulRate {
    /** Timed products after one warm-up; the fastest counts. */
    static final int REPEATS = 10;

    private MatmulRate() {
    }

    /** @param shape {m, k, n} */
    public static double gflops(int[] shape) {
        try (NDManager m = NDManager.newBaseManager()) {
            NDArray a = m.randomNormal(new Shape(shape[0], shape[1]));
            NDArray b = m.randomNormal(new Shape(shape[1], shape[2]));
            a.matMul(b).close();
            double fastest = Double.POSITIVE_INFINITY;
            for (int i = 0; i < REPEATS; i++) {
                long t0 = System.nanoTime();
                NDArray c = a.matMul(b);
                fastest = Math.min(fastest, (System.nanoTime() - t0) / 1e9);
                c.close();
            }
            return 2.0 * shape[0] * shape[1] * shape[2] / fastest / 1e9;
        }
    }
}
