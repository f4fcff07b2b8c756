package dev.asyncdiff.bench;

/**
 * How far a tensor is from its reference: the largest absolute difference, that difference relative to the
 * reference's largest magnitude (max|a − b| / max|b|, the measure targets are stated in), and the largest
 * elementwise relative difference |a − b| / max(|b|, {@value #FLOOR}), whose floor keeps entries near zero from
 * dominating. A non-finite entry on either side makes them NaN or infinite, never a passing number.
 */
public record Discrepancy(double maxAbs, double maxRel, double maxElementRel) {
    public static final double FLOOR = 1e-3;

    public static Discrepancy between(float[] actual, float[] reference) {
        if (actual.length != reference.length) {
            throw new IllegalArgumentException("cannot compare " + actual.length + " values with a reference of "
                    + reference.length);
        }
        double maxAbs = 0;
        double scale = 0;
        double maxElementRel = 0;
        for (int i = 0; i < actual.length; i++) {
            double d = Math.abs((double) actual[i] - reference[i]);
            double b = Math.abs((double) reference[i]);
            maxAbs = Math.max(maxAbs, d);
            scale = Math.max(scale, b);
            maxElementRel = Math.max(maxElementRel, d / Math.max(b, FLOOR));
        }
        return new Discrepancy(maxAbs, maxAbs / scale, maxElementRel);
    }
}
