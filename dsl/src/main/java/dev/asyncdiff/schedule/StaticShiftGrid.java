package dev.asyncdiff.schedule;

/** SD3's static shift applied to the uniform grid: t' = s·t / (1 + (s − 1)·t), default s = 3. */
public record StaticShiftGrid(double shift) implements TimeGrid {
    public static final double SD3_SHIFT = 3.0;

    public StaticShiftGrid {
        if (!Double.isFinite(shift) || shift <= 0) {
            throw new IllegalArgumentException("shift must be a finite number > 0 (got " + shift + ")");
        }
    }

    @Override
    public double[] times(int steps) {
        double[] t = TimeGrid.uniform(steps);
        for (int k = 0; k < t.length; k++) {
            t[k] = shift * t[k] / (1.0 + (shift - 1.0) * t[k]);
        }
        return GridCheck.validate(t);
    }

    @Override
    public String spec() {
        return "shift:" + shift;
    }
}
