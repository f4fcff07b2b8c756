package dev.asyncdiff.sample;

import ai.djl.ndarray.NDArray;
import dev.asyncdiff.model.Latents;
import dev.asyncdiff.model.Timesteps;

/**
 * One update x_k → x_{k+1} of a batch and what the loop already knows for it: the first evaluation v = v*(x, t*_k),
 * its clean prediction x0 = x − t_k·v, the latent's times t_k and t_{k+1} (per sample or per position) and, from the
 * previous step, t_{k−1} and its clean prediction (null at the first step); the clean predictions are computed only if
 * a solver asks for them. The tensors are native [B, D]; a solver
 * works out its coefficients per row (and position) in Java and applies them natively, entry by entry, in the
 * order the formulas are written.
 *
 * @param omega     ω of Eq. 20 per row; 1 in async mode, the only mode of the higher-order solvers
 * @param positions the number of positions
 * @param spread    how coefficients per position reach the latent entries
 * @param field     the model for any further evaluation
 */
public record SolverStep(NDArray x, NDArray v, Latents cleanPrediction, Timesteps tPrev, Timesteps t, Timesteps tNext,
                         Latents previousCleanPrediction, double[] omega, int positions, PositionSpread spread,
                         VelocityField field) {

    /** x0 = x − t_k·v, computed on first use (Euler and Heun never ask). */
    public NDArray x0() {
        return cleanPrediction.array();
    }

    /** The previous step's clean prediction, null at the first step. */
    public NDArray x0Prev() {
        return previousCleanPrediction == null ? null : previousCleanPrediction.array();
    }

    public int rows() {
        return (int) x.getShape().get(0);
    }

    /** Whether every position of every row ends at t = 0. */
    public boolean endsAtZero() {
        return tNext.max() == 0.0;
    }

    /**
     * How many coefficients a row needs: one when every time of the step is per sample (they then broadcast over the
     * row), else one per position.
     */
    public int width() {
        boolean perSample = t instanceof Timesteps.PerSample && tNext instanceof Timesteps.PerSample
                && (tPrev == null || tPrev instanceof Timesteps.PerSample);
        return perSample ? 1 : positions;
    }

    /** a·c entry by entry (a new array), for coefficients c[i][p] ({@link #width()} per row). */
    public NDArray times(NDArray a, float[][] c) {
        return spread.times(a, c);
    }

    /** c[i][p] spread over the latent entries: [B, 1] or [B, D]. */
    public NDArray coefficients(float[][] c) {
        return spread.of(x.getManager(), c);
    }

    /** A batch of coefficients of {@code width} per row, filled by the caller. */
    public float[][] newCoefficients(int width) {
        return new float[rows()][width];
    }
}
