package dev.asyncdiff.sample;

import dev.asyncdiff.model.Timesteps;

/**
 * One update x_k → x_{k+1} of a batch and what the loop already knows for it: the first evaluation v = v*(x, t*_k),
 * its clean prediction x0 = x − t_k·v, the latent's times t_k and t_{k+1} (per sample or per position) and, from the
 * previous step, t_{k−1} and its clean prediction (null at the first step).
 *
 * @param omega      ω of Eq. 20 per row; 1 in async mode, the only mode of the higher-order solvers
 * @param positionOf the position of every latent entry
 * @param positions  the number of positions
 * @param field      the model for any further evaluation
 */
public record SolverStep(float[][] x, float[][] v, float[][] x0, Timesteps tPrev, Timesteps t, Timesteps tNext,
                         float[][] x0Prev, double[] omega, int[] positionOf, int positions, VelocityField field) {

    public int rows() {
        return x.length;
    }

    /** x_{k+1}, row i given by {@code row}. */
    public float[][] eachRow(java.util.function.IntFunction<float[]> row) {
        float[][] out = new float[rows()][];
        for (int i = 0; i < out.length; i++) {
            out[i] = row.apply(i);
        }
        return out;
    }

    /** Whether every position of every row ends at t = 0. */
    public boolean endsAtZero() {
        return tNext.max() == 0.0;
    }

    /**
     * How many coefficients a row needs: one when every time of the step is per sample (the loops then run without
     * looking positions up), else one per position.
     */
    public int width() {
        boolean perSample = t instanceof Timesteps.PerSample && tNext instanceof Timesteps.PerSample
                && (tPrev == null || tPrev instanceof Timesteps.PerSample);
        return perSample ? 1 : positions;
    }

    /** The coefficient index of every latent entry for coefficients of {@code width} values per row. */
    public int[] index(int width) {
        return width == 1 ? new int[positionOf.length] : positionOf;
    }

    /** x + h·v entry by entry, with h from {@link #width()} coefficients. */
    public float[] axpy(float[] x, float[] h, float[] v) {
        return axpy(x, h, v, positionOf);
    }

    static float[] axpy(float[] x, float[] h, float[] v, int[] positionOf) {
        float[] out = new float[x.length];
        if (h.length == 1) {
            float h0 = h[0];
            for (int j = 0; j < x.length; j++) {
                out[j] = x[j] + h0 * v[j];
            }
        } else {
            for (int j = 0; j < x.length; j++) {
                out[j] = x[j] + h[positionOf[j]] * v[j];
            }
        }
        return out;
    }
}
