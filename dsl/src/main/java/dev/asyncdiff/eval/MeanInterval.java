package dev.asyncdiff.eval;

import org.apache.commons.math3.distribution.TDistribution;

/**
 * A sample mean with its two-sided confidence interval from Student's t with n − 1 degrees of freedom:
 * mean ± t_{1−α/2, n−1}·s/√n, s the sample standard deviation. Applied to paired differences (method minus baseline
 * on the same prompt and noise) it is the paired t interval.
 *
 * @param halfWidth NaN for fewer than two values
 */
public record MeanInterval(double mean, double halfWidth, int n, double level) {
    public static final double LEVEL = 0.95;

    public static MeanInterval of(double[] values) {
        return of(values, LEVEL);
    }

    public static MeanInterval of(double[] values, double level) {
        if (!(level > 0 && level < 1)) {
            throw new IllegalArgumentException("the confidence level must lie in (0, 1) (got " + level + ")");
        }
        int n = values.length;
        if (n == 0) {
            throw new IllegalArgumentException("a mean needs at least one value");
        }
        double mean = 0;
        for (double v : values) {
            mean += v / n;
        }
        if (n < 2) {
            return new MeanInterval(mean, Double.NaN, n, level);
        }
        double ss = 0;
        for (double v : values) {
            ss += (v - mean) * (v - mean);
        }
        double se = Math.sqrt(ss / (n - 1) / n);
        double t = new TDistribution(n - 1).inverseCumulativeProbability(1 - (1 - level) / 2);
        return new MeanInterval(mean, t * se, n, level);
    }

    /** Paired differences a_i − b_i (the same prompt and initial noise under two methods). */
    public static MeanInterval ofDifferences(double[] a, double[] b) {
        if (a.length != b.length) {
            throw new IllegalArgumentException("paired differences need equally many values (got " + a.length
                    + " and " + b.length + ")");
        }
        double[] d = new double[a.length];
        for (int i = 0; i < d.length; i++) {
            d[i] = a[i] - b[i];
        }
        return of(d);
    }

    public double lower() {
        return mean - halfWidth;
    }

    public double upper() {
        return mean + halfWidth;
    }

    /** "0.4312 ± 0.0123". */
    public String format(int decimals) {
        String f = "%." + decimals + "f";
        return String.format(java.util.Locale.ROOT, f + " ± " + f, mean, halfWidth);
    }
}
