package dev.asyncdiff.asyndm;

/**
 * A grid's time at a remaining progress ρ: the grid t_0 … t_K interpolated linearly at index K·(1 − ρ). At ρ = 1 − k/K
 * (up to rounding of 1e-9 in the index) it is t_k exactly, so a position on the linear schedule sits on the grid bit
 * for bit; between nodes it is as monotone as the grid.
 */
public final class GridProgress {
    /** Index distance within which ρ counts as on a grid node. */
    static final double SNAP = 1e-9;

    private GridProgress() {
    }

    /** The time at remaining progress ρ ∈ [0, 1] on {@code grid} (t_0 = 1 > … > t_K). */
    public static double time(double[] grid, double rho) {
        if (!(rho >= 0 && rho <= 1)) {
            throw new IllegalArgumentException("remaining progress must lie in [0, 1] (got " + rho + ")");
        }
        int steps = grid.length - 1;
        double s = steps * (1 - rho);
        long node = Math.round(s);
        if (Math.abs(s - node) < SNAP) {
            return grid[(int) node];
        }
        int i = (int) Math.floor(s);
        double frac = s - i;
        return grid[i] + frac * (grid[i + 1] - grid[i]);
    }
}
