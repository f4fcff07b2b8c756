package dev.asyncdiff.eval;

import dev.asyncdiff.model.gmm.GmmSpec;

/**
 * How well conditional samples match their GMM component: the exact test bed's counterpart of image metrics.
 *
 * @param accuracy      share of samples whose most likely component (at t = 0) is the requested one
 * @param nll           mean negative log-likelihood per dimension under the requested component
 * @param meanError     distance between the sample mean and the component mean
 * @param stdRatio      sample std (pooled over dimensions) over the component std; 1 is exact
 */
public record GmmFidelity(double accuracy, double nll, double meanError, double stdRatio) {

    /** Scores {@code samples}, all drawn for component {@code k}. */
    public static GmmFidelity of(GmmSpec spec, int k, float[][] samples) {
        int d = spec.dimension();
        int n = samples.length;
        double[] mu = spec.means()[k];
        double s = spec.stds()[k];
        int hits = 0;
        double nll = 0;
        double[] mean = new double[d];
        for (float[] x : samples) {
            if (mostLikely(spec, x) == k) {
                hits++;
            }
            for (int j = 0; j < d; j++) {
                double z = (x[j] - mu[j]) / s;
                nll += 0.5 * z * z + Math.log(s) + 0.5 * Math.log(2 * Math.PI);
                mean[j] += x[j] / n;
            }
        }
        double err = 0;
        double var = 0;
        for (int j = 0; j < d; j++) {
            err += (mean[j] - mu[j]) * (mean[j] - mu[j]);
        }
        for (float[] x : samples) {
            for (int j = 0; j < d; j++) {
                var += (x[j] - mean[j]) * (x[j] - mean[j]);
            }
        }
        var /= (double) d * Math.max(1, n - 1);
        return new GmmFidelity((double) hits / n, nll / ((double) n * d), Math.sqrt(err), Math.sqrt(var) / s);
    }

    /** argmax_c π_c·N(x; μ_c, s_c²I). */
    static int mostLikely(GmmSpec spec, float[] x) {
        int best = 0;
        double bestLp = Double.NEGATIVE_INFINITY;
        for (int c = 0; c < spec.components(); c++) {
            double s = spec.stds()[c];
            double lp = Math.log(spec.weights()[c]) - x.length * Math.log(s);
            for (int j = 0; j < x.length; j++) {
                double z = (x[j] - spec.means()[c][j]) / s;
                lp -= 0.5 * z * z;
            }
            if (lp > bestLp) {
                bestLp = lp;
                best = c;
            }
        }
        return best;
    }
}
