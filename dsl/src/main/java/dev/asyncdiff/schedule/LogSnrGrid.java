package dev.asyncdiff.schedule;

/**
 * Uniform in log-SNR. Under x_t = (1 − t)·x0 + t·ε the log signal-to-noise ratio is λ = 2·ln((1 − t)/t), so
 * t = 1 / (1 + e^{λ/2}). The K + 1 points are λ_k = −L + 2L·k/K; the end points are then set to exactly 1 and 0,
 * where λ is infinite. {@code halfRange} is L (default 8: t runs from about 0.982 to 0.018 inside the ends).
 */
public record LogSnrGrid(double halfRange) implements TimeGrid {
    public static final double DEFAULT_HALF_RANGE = 8.0;

    public LogSnrGrid {
        if (!Double.isFinite(halfRange) || halfRange <= 0) {
            throw new IllegalArgumentException("log-SNR half range must be a finite number > 0 (got " + halfRange + ")");
        }
    }

    @Override
    public double[] times(int steps) {
        double[] t = TimeGrid.uniform(steps);
        for (int k = 1; k < steps; k++) {
            double lambda = -halfRange + 2.0 * halfRange * k / steps;
            t[k] = 1.0 / (1.0 + Math.exp(lambda / 2.0));
        }
        return GridCheck.validate(t);
    }

    @Override
    public String spec() {
        return "logsnr";
    }
}
