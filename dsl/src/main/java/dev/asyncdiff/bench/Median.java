package dev.asyncdiff.bench;

import java.util.Arrays;

/** The median of timed repetitions, the summary every benchmark reports (robust to a run slowed by other work). */
public final class Median {
    private Median() {
    }

    public static double of(double[] v) {
        if (v.length == 0) {
            throw new IllegalArgumentException("the median of no values");
        }
        double[] s = v.clone();
        Arrays.sort(s);
        int m = s.length / 2;
        return s.length % 2 == 1 ? s[m] : 0.5 * (s[m - 1] + s[m]);
    }
}
