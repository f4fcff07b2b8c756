package dev.asyncdiff.schedule;

/** t_k = 1 − k/K. */
public record UniformGrid() implements TimeGrid {
    @Override
    public double[] times(int steps) {
        return GridCheck.validate(TimeGrid.uniform(steps));
    }

    @Override
    public String spec() {
        return "uniform";
    }
}
