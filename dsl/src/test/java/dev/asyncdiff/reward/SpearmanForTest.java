package dev.asyncdiff.reward;

import java.util.Arrays;
import java.util.List;

/** Spearman's rank correlation of (x, y) pairs, ties given their mean rank. */
final class SpearmanForTest {
    private SpearmanForTest() {
    }

    static double rho(List<double[]> pairs) {
        double[] rx = ranks(pairs.stream().mapToDouble(p -> p[0]).toArray());
        double[] ry = ranks(pairs.stream().mapToDouble(p -> p[1]).toArray());
        double mx = Arrays.stream(rx).average().orElseThrow();
        double my = Arrays.stream(ry).average().orElseThrow();
        double sxy = 0;
        double sxx = 0;
        double syy = 0;
        for (int i = 0; i < rx.length; i++) {
            sxy += (rx[i] - mx) * (ry[i] - my);
            sxx += (rx[i] - mx) * (rx[i] - mx);
            syy += (ry[i] - my) * (ry[i] - my);
        }
        return sxy / Math.sqrt(sxx * syy);
    }

    private static double[] ranks(double[] v) {
        Integer[] order = new Integer[v.length];
        for (int i = 0; i < v.length; i++) {
            order[i] = i;
        }
        Arrays.sort(order, (a, b) -> Double.compare(v[a], v[b]));
        double[] r = new double[v.length];
        for (int i = 0; i < v.length; ) {
            int j = i;
            while (j + 1 < v.length && v[order[j + 1]] == v[order[i]]) {
                j++;
            }
            for (int k = i; k <= j; k++) {
                r[order[k]] = (i + j) / 2.0 + 1;
            }
            i = j + 1;
        }
        return r;
    }
}
