package dev.asyncdiff.bench;

import java.util.Arrays;

/** The median of timed repetitions: the statistic every benchmark reports, robust to one slow run. */
public final class Median {
    private Median() {
    }

    /** The middle value, or the mean of the two middle values of an even count. */
    public static double of(double[] values) {
        if (values.length == 0) {
            throw new IllegalArgumentException("the median of no values is undefined");
        }
        double[] s = values.clone();
        Arrays.sort(s);
        int m = s.length / 2;
        return s.length % 2 == 1 ? s[m] : 0.5 * (s[m - 1] + s[m]);
    }
}
