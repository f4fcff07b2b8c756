package dev.asyncdiff.rl;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

class PpoClipTest {
    @Test
    void theLossMatchesAHandComputation() {
        // ratios e^0.3 ≈ 1.3499 (A = 1: clipped to 1.2), e^−0.1 ≈ 0.9048 (A = −2: unclipped −1.8097 is the min),
        // 1 (A = 0.5: 0.5), e^−0.5 ≈ 0.6065 (A = −1: min(−0.6065, −0.8) = −0.8, clipped)
        double[] logNew = {0.3, -0.1, 0.0, -0.5};
        double[] logOld = {0, 0, 0, 0};
        double[] adv = {1, -2, 0.5, -1};
        PpoClip.Result r = PpoClip.of(logNew, logOld, adv, 0.2);
        double expected = -(1.2 + Math.exp(-0.1) * -2 + 0.5 + -0.8) / 4;
        assertEquals(expected, r.loss(), 1e-12);
        assertEquals(0.5, r.clipFraction(), 1e-12);
        assertEquals(1 - Math.exp(-0.5), r.maxRatioDeviation(), 1e-12); // |e^−0.5 − 1| > e^0.3 − 1
        double kl = 0;
        for (double l : logNew) {
            kl += (Math.exp(l) - 1 - l) / 4;
        }
        assertEquals(kl, r.approxKl(), 1e-12);
    }

    @Test
    void onPolicyTheRatioIsOneNothingIsClippedAndTheLossIsMinusTheMeanAdvantage() {
        double[] lp = {-3.2, -1.1, -7.5};
        PpoClip.Result r = PpoClip.of(lp, lp.clone(), new double[] {1, -1, 0.5}, PpoClip.EPSILON);
        assertEquals(-0.5 / 3, r.loss(), 1e-15);
        assertEquals(0, r.clipFraction());
        assertEquals(0, r.maxRatioDeviation());
        assertEquals(0, r.approxKl());
    }

    @Test
    void mismatchedOrEmptyBatchesAndBadEpsilonsAreRefused() {
        assertThrows(IllegalArgumentException.class, () -> PpoClip.of(new double[0], new double[0], new double[0], 0.2));
        assertThrows(IllegalArgumentException.class, () -> PpoClip.of(new double[1], new double[2], new double[1], 0.2));
        assertThrows(IllegalArgumentException.class, () -> PpoClip.of(new double[1], new double[1], new double[1], 0));
    }
}
