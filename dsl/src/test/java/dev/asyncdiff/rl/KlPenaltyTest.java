package dev.asyncdiff.rl;

import ai.djl.ndarray.NDManager;
import dev.asyncdiff.policy.BetaDistribution;
import dev.asyncdiff.sample.SampleStream;
import org.apache.commons.math3.special.Gamma;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class KlPenaltyTest {
    /**
     * KL(Beta(a1, b1) ‖ Beta(a2, b2)) in closed form: log B(a2, b2) − log B(a1, b1) + (a1 − a2)ψ(a1)
     * + (b1 − b2)ψ(b1) + (a2 − a1 + b2 − b1)ψ(a1 + b1).
     */
    private static double closedForm(BetaDistribution p, BetaDistribution q) {
        double a1 = p.alpha();
        double b1 = p.beta();
        double a2 = q.alpha();
        double b2 = q.beta();
        return logB(a2, b2) - logB(a1, b1) + (a1 - a2) * Gamma.digamma(a1) + (b1 - b2) * Gamma.digamma(b1)
                + (a2 - a1 + b2 - b1) * Gamma.digamma(a1 + b1);
    }

    private static double logB(double a, double b) {
        return Gamma.logGamma(a) + Gamma.logGamma(b) - Gamma.logGamma(a + b);
    }

    @ParameterizedTest(name = "KL(Beta({0}, {1}) ‖ Beta({2}, {3}))")
    @CsvSource({"2, 2, 2, 2", "3, 2, 2, 2", "2, 5, 4, 3", "1.5, 1.2, 6, 6"})
    void theK3EstimateAtDrawsFromThePolicyAveragesToTheClosedFormKl(double a1, double b1, double a2, double b2) {
        BetaDistribution p = new BetaDistribution(a1, b1);
        BetaDistribution q = new BetaDistribution(a2, b2);
        int n = 200_000;
        float[] logP = new float[n];
        float[] logQ = new float[n];
        SampleStream random = new SampleStream(3, 0);
        for (int i = 0; i < n; i++) {
            double r = p.sample(random);
            logP[i] = (float) p.logDensity(r);
            logQ[i] = (float) q.logDensity(r);
        }
        try (NDManager m = NDManager.newBaseManager()) {
            float[] k3 = KlPenalty.k3(m.create(logP), m.create(logQ)).toFloatArray();
            double mean = 0;
            double sq = 0;
            for (float v : k3) {
                assertTrue(v >= -1e-6, "k3 is never negative beyond float rounding (got " + v + ")");
                mean += v / (double) n;
                sq += (double) v * v / n;
            }
            double stderr = Math.sqrt(Math.max(0, sq - mean * mean) / n);
            double exact = closedForm(p, q);
            assertEquals(exact, mean, 4 * stderr + 1e-6, "closed form " + exact + ", k3 mean " + mean);
        }
    }
}
