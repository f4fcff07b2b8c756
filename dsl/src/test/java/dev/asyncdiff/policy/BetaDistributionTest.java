package dev.asyncdiff.policy;

import dev.asyncdiff.sample.SampleStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

class BetaDistributionTest {
    @ParameterizedTest(name = "Beta({0}, {1}) at {2}")
    @CsvSource({
            // closed forms: Beta(2, 3) has density 12·r·(1 − r)², Beta(1, 1) is uniform, Beta(2, 2) is 6·r·(1 − r),
            // Beta(0.5, 0.5) is 1/(π·√(r(1 − r)))
            "2, 3, 0.5, 1.5",
            "2, 3, 0.1, 0.972",
            "1, 1, 0.3, 1.0",
            "2, 2, 0.25, 1.125",
            "0.5, 0.5, 0.5, 0.6366197723675814",
    })
    void theLogDensityMatchesClosedForms(double a, double b, double r, double density) {
        assertEquals(Math.log(density), new BetaDistribution(a, b).logDensity(r), 1e-12);
    }

    @Test
    void theModeIsEquation18AndNeedsBothParametersAboveOne() {
        assertEquals(1.0 / 3, new BetaDistribution(2, 3).mode(), 1e-15);
        assertEquals(0.5, new BetaDistribution(7, 7).mode(), 1e-15);
        assertThrows(IllegalStateException.class, () -> new BetaDistribution(0.5, 3).mode());
    }

    @ParameterizedTest(name = "Beta({0}, {1})")
    @CsvSource({"2, 5", "1.3, 1.1", "0.5, 3", "20, 4"})
    void marsagliaTsangDrawsHaveTheBetasMeanAndVariance(double a, double b) {
        BetaDistribution beta = new BetaDistribution(a, b);
        int n = 100_000;
        double sum = 0;
        double sq = 0;
        SampleStream random = new SampleStream(11, 0);
        for (int i = 0; i < n; i++) {
            double r = beta.sample(random);
            sum += r;
            sq += r * r;
        }
        double mean = sum / n;
        double var = sq / n - mean * mean;
        // standard error of the mean √(var/n); of the variance about √(2/n)·var for these shapes: allow 5 of each
        assertEquals(beta.mean(), mean, 5 * Math.sqrt(beta.variance() / n));
        assertEquals(beta.variance(), var, 5 * Math.sqrt(2.0 / n) * beta.variance() * 1.5);
    }

    @Test
    void phiIsEquation17SmoothAtZeroAndAboveOne() {
        assertEquals(3.5, BetaDistribution.phi(1), 1e-15);
        assertEquals(1 + Math.exp(-1), BetaDistribution.phi(-1), 1e-15);
        double h = 1e-6;
        assertEquals(2, BetaDistribution.phi(0), 1e-15);
        assertEquals(BetaDistribution.phi(h) - 2, 2 - BetaDistribution.phi(-h), 1e-11); // slope 1 on both sides
        for (double x = -30; x <= 40; x += 0.5) {
            org.junit.jupiter.api.Assertions.assertTrue(BetaDistribution.phi(x) > 1, "phi(" + x + ")");
        }
        assertEquals(1.0, BetaDistribution.phi(-40)); // 1 + e^−40 rounds to 1 in doubles
        assertEquals(0.0, BetaDistribution.fromTpmOutputs(-40, 1).mode()); // Beta(1, 3.5) peaks at 0
        assertEquals(0.5, BetaDistribution.fromTpmOutputs(-40, -40).mode()); // uniform: the synchronous choice
        // φ(0) = 2 and φ(√3 − 1) = 2 + (√3 − 1) + (4 − 2√3)/2 = 3: Beta(2, 3), mode 1/3
        assertEquals(1.0 / 3, BetaDistribution.fromTpmOutputs(0, Math.sqrt(3) - 1).mode(), 1e-12);
    }

    @Test
    void nonPositiveParametersAreRefused() {
        assertThrows(IllegalArgumentException.class, () -> new BetaDistribution(0, 1));
        assertThrows(IllegalArgumentException.class, () -> new BetaDistribution(1, Double.NaN));
    }
}
