package dev.asyncdiff.sample;

import dev.asyncdiff.model.Timesteps;

/**
 * Where each latent position's time t_k(i, p) is at step k: the time the latent is at, which the solvers integrate
 * over, not the time the model is conditioned at. Standard sampling keeps every position on the grid; a per-position
 * schedule (AsynDM) moves positions on clocks of their own and must end every position where the grid ends.
 */
@FunctionalInterface
public interface LatentClock {
    /** Every position on the grid: one time per sample. */
    LatentClock GRID = (grid, k, rows, positions) -> {
        double[] t = new double[rows];
        java.util.Arrays.fill(t, grid[k]);
        return new Timesteps.PerSample(t);
    };

    /** The times of a batch of {@code rows} samples at step k of {@code grid} (t_0 … t_K). */
    Timesteps at(double[] grid, int k, int rows, int positions);
}
