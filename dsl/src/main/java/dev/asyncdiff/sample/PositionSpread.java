package dev.asyncdiff.sample;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.NDScope;
import ai.djl.ndarray.types.Shape;
import dev.asyncdiff.nn.NativeData;
import dev.asyncdiff.nn.Ops;

/**
 * Spreads coefficients given per row and position over the latent entries of a native batch: c[i][p] becomes the
 * coefficient of every entry j of row i whose position is p. One coefficient per row stays [B, 1] and broadcasts.
 * The gather index [B, D] is built once per batch (one spread per batch), the first time a per-position coefficient
 * needs it.
 */
public final class PositionSpread {
    private final int[] positionOf;
    private NDArray index;

    /** @param positionOf the position of every latent entry */
    public PositionSpread(int[] positionOf) {
        this.positionOf = positionOf.clone();
    }

    /**
     * a·c entry by entry, as a new array: by one number when every row and position shares it (no coefficient array
     * is made), else by [B, 1] or by [B, D] from {@link #of}.
     */
    NDArray times(NDArray a, float[][] c) {
        float first = c[0][0];
        for (float[] row : c) {
            for (float v : row) {
                if (Float.floatToIntBits(v) != Float.floatToIntBits(first)) {
                    return a.mul(of(a.getManager(), c));
                }
            }
        }
        return Ops.scaled(a, first);
    }

    /** c [B][1] as [B, 1], or c [B][positions] as [B, D], in {@code manager}. */
    NDArray of(NDManager manager, float[][] c) {
        int rows = c.length;
        int width = c[0].length;
        float[] flat = new float[rows * width];
        for (int i = 0; i < rows; i++) {
            System.arraycopy(c[i], 0, flat, i * width, width);
        }
        NDArray perPosition = NativeData.of(manager, flat, new Shape(rows, width));
        if (width == 1) {
            return perPosition;
        }
        if (index == null || index.getShape().get(0) != rows) {
            long[] row = new long[positionOf.length];
            for (int j = 0; j < row.length; j++) {
                row[j] = positionOf[j];
            }
            index = NativeData.of(manager, row, new Shape(1, row.length)).repeat(0, rows);
            NDScope.unregister(index); // kept for the batch's later steps, freed with the batch's manager
        }
        return perPosition.gather(index, 1);
    }
}
