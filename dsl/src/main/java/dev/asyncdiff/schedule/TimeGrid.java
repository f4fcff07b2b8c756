package dev.asyncdiff.schedule;

/**
 * A time grid t_0 = 1 > t_1 > … > t_K for K sampling steps (DESIGN.md §1.1). t = 1 is pure noise.
 * Every grid a sampler receives has passed {@link GridCheck#validate(double[])}.
 */
public sealed interface TimeGrid permits UniformGrid, StaticShiftGrid, FluxShiftGrid, LogSnrGrid, CustomGrid {

    /** The K + 1 times t_0 … t_K of a K-step grid, validated. */
    double[] times(int steps);

    /** A short name that {@link TimeGrids#parse} reads back. */
    String spec();

    /** The uniform grid t_k = 1 − k/K that the shifted grids start from. */
    static double[] uniform(int steps) {
        if (steps < 1) {
            throw new IllegalArgumentException("steps must be at least 1 (got " + steps + ")");
        }
        double[] t = new double[steps + 1];
        for (int k = 0; k <= steps; k++) {
            t[k] = 1.0 - (double) k / steps;
        }
        t[steps] = 0.0;
        return t;
    }
}
