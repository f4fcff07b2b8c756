package dev.asyncdiff.policy;

import dev.asyncdiff.Generation;
import dev.asyncdiff.Pipeline;
import dev.asyncdiff.model.gmm.GmmSpec;
import org.junit.jupiter.api.Test;

import java.util.Arrays;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class TimeShiftPolicyTest {
    private static final double[] GRID = {1.0, 0.8, 0.6, 0.4, 0.2, 0.0};

    /** Step k's input for one latent whose every entry is c (mean square c²). */
    private static PolicyInput input(int k, double c) {
        float[] x = new float[64];
        Arrays.fill(x, (float) c);
        return new PolicyInput(k, GRID, new float[][] {x}, null, null, null, null, null, new int[] {0}, List.of(""));
    }

    /** t with m(t) = v by bisection on [0.5, 1], where m(t) = (1 − t)²·s + t² increases (s = 1). */
    private static double bisect(double v) {
        double lo = 0.5;
        double hi = 1;
        for (int i = 0; i < 200; i++) {
            double mid = (lo + hi) / 2;
            double m = (1 - mid) * (1 - mid) + mid * mid;
            if (m < v) {
                lo = mid;
            } else {
                hi = mid;
            }
        }
        return (lo + hi) / 2;
    }

    @Test
    void aLatentWhoseStatisticsMatchTheGridIsSampledSynchronously() {
        TimeShiftPolicy p = new TimeShiftPolicy(1.0);
        for (int k = 1; k < 3; k++) { // t_k = 0.8, 0.6, above the turning point 0.5
            double c = Math.sqrt(p.nominalMeanSquare(GRID[k]));
            assertEquals(0.5, p.decide(input(k, c))[0], 1e-6, "step " + k);
        }
    }

    @Test
    void aNoisierLatentIsConditionedAtTheMatchingLaterTime() {
        TimeShiftPolicy p = new TimeShiftPolicy(1.0);
        // step 1: t_0 = 1, t_1 = 0.8; m(0.8) = 0.68. A mean square of 0.72 matches t* = bisect(0.72) ≈ 0.829
        double tStar = bisect(0.72);
        double expectedR = (tStar - 1.0) / (0.8 - 1.0) - 0.5;
        double r = p.decide(input(1, Math.sqrt(0.72)))[0];
        assertEquals(expectedR, r, 1e-6);
        assertTrue(r < 0.5, "a noisier latent than the grid says is told a noisier time: r = " + r);
    }

    @Test
    void theShiftStaysInsideTheStepsWindowAndAtTheGridWithoutARoot() {
        TimeShiftPolicy p = new TimeShiftPolicy(1.0);
        assertEquals(0.0, p.decide(input(1, 3.0))[0]); // far noisier than any time in the window: its noisiest end
        // step 2 (t_1 = 0.8, t_2 = 0.6): a cleaner latent, mean square 0.504, matches t* = bisect(0.504) ≈ 0.545
        assertEquals((bisect(0.504) - 0.8) / (0.6 - 0.8) - 0.5, p.decide(input(2, Math.sqrt(0.504)))[0], 1e-6);
        assertEquals(0.5, p.decide(input(2, Math.sqrt(0.45)))[0]); // below min m = 0.5: no time matches
    }

    @Test
    void belowTheTurningPointTheVarianceNamesNoTimeAndSamplingIsSynchronous() {
        TimeShiftPolicy p = new TimeShiftPolicy(1.0);
        assertEquals(0.5, p.turningPoint());
        assertEquals(0.5, p.decide(input(3, 3.0))[0]); // t_3 = 0.4
        assertEquals(0.5, p.decide(input(4, 0.1))[0]);
    }

    @Test
    void onAnExactModelOfUnitVarianceDataTimeshiftStaysCloseToSync() {
        int d = 8192;
        double[] mean = new double[d];
        GmmSpec spec = new GmmSpec(new double[] {1}, new double[][] {mean}, new double[] {1});
        Pipeline base = Pipeline.gmm(spec).steps(8).guidance(1).seed(4);
        Generation g = base.async(new TimeShiftPolicy(1.0)).generate(List.of(""), 16);
        double meanAbs = g.trajectories().stream().flatMap(t -> t.steps().stream()).filter(s -> s.k() > 0)
                .mapToDouble(s -> Math.abs(s.deviation())).average().orElseThrow();
        System.out.printf("timeshift on exact unit-variance data (8,192 dims, 8 steps): mean |D| %.4f%n", meanAbs);
        assertTrue(meanAbs < 0.1, "mean |D| " + meanAbs + " on latents that follow the grid's statistics");
    }

    @Test
    void aNonPositiveDataMomentIsRefused() {
        assertThrows(IllegalArgumentException.class, () -> new TimeShiftPolicy(0));
        assertEquals("timeshift", Policies.parse("timeshift").spec());
        assertEquals("timeshift:1.5", Policies.parse("timeshift:1.5").spec());
        assertThrows(IllegalArgumentException.class, () -> Policies.parse("timeshift:x"));
    }
}
