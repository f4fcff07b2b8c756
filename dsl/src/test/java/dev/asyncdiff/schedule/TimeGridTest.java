package dev.asyncdiff.schedule;

import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class TimeGridTest {

    @ParameterizedTest
    @ValueSource(strings = {"uniform", "shift:3", "flux-dynamic", "logsnr"})
    void everyNamedGridStartsAtOneDecreasesStrictlyAndEndsAtZero(String spec) {
        for (int steps : new int[] {1, 2, 10, 15, 50}) {
            double[] t = TimeGrids.parse(spec, 1024).times(steps);
            assertEquals(steps + 1, t.length);
            assertEquals(1.0, t[0]);
            assertEquals(0.0, t[steps]);
            for (int k = 1; k <= steps; k++) {
                assertTrue(t[k] < t[k - 1], spec + " not decreasing at " + k);
            }
        }
    }

    @Test
    void uniformGridIsEvenlySpaced() {
        assertArrayEquals(new double[] {1.0, 0.75, 0.5, 0.25, 0.0}, new UniformGrid().times(4), 1e-15);
    }

    @Test
    void sd3ShiftMatchesItsFormulaPointwise() {
        double[] t = new StaticShiftGrid(3).times(4);
        double[] u = {1.0, 0.75, 0.5, 0.25, 0.0};
        for (int k = 0; k < u.length; k++) {
            assertEquals(3 * u[k] / (1 + 2 * u[k]), t[k], 1e-15);
        }
        assertEquals(0.75, t[2], 1e-15); // 1.5 / 2
    }

    @Test
    void fluxShiftInterpolatesMuLinearlyInTokenCount() {
        assertEquals(0.5, new FluxShiftGrid(256).mu(), 1e-12);
        assertEquals(1.15, new FluxShiftGrid(4096).mu(), 1e-12);
        assertEquals(0.5 + 0.65 * (1024 - 256) / 3840.0, new FluxShiftGrid(1024).mu(), 1e-12);
    }

    @ParameterizedTest
    @ValueSource(strings = {"uniform", "shift:3.0", "flux-dynamic:1024", "flux-dynamic:4096", "logsnr"})
    void everyGridsSpecReadsBackAsTheSameGrid(String spec) {
        TimeGrid g = TimeGrids.parse(spec, 77);
        assertEquals(g, TimeGrids.parse(g.spec(), 77));
    }

    @Test
    void bareFluxDynamicTakesTheGivenTokenCountAndNamesIt() {
        assertEquals("flux-dynamic:1024", TimeGrids.parse("flux-dynamic", 1024).spec());
        assertEquals(new FluxShiftGrid(4096), TimeGrids.parse("flux-dynamic:4096", 1024));
    }

    @Test
    void fluxShiftAtHalfTimeIsTheLogisticOfMu() {
        // t' = e^μ / (e^μ + (1/t − 1)) at t = 0.5 is e^μ / (e^μ + 1) = sigmoid(μ)
        FluxShiftGrid g = new FluxShiftGrid(4096);
        double[] t = g.times(2);
        assertEquals(1.0 / (1.0 + Math.exp(-1.15)), t[1], 1e-12);
    }

    @Test
    void logSnrGridIsEvenlySpacedInLogSnrInside() {
        double[] t = new LogSnrGrid(8).times(8);
        double step = Double.NaN;
        for (int k = 1; k < 7; k++) {
            double l0 = 2 * Math.log((1 - t[k]) / t[k]);
            double l1 = 2 * Math.log((1 - t[k + 1]) / t[k + 1]);
            if (Double.isNaN(step)) {
                step = l1 - l0;
            }
            assertEquals(step, l1 - l0, 1e-9);
        }
        assertEquals(2.0, step, 1e-9); // 2L / K = 16 / 8
    }

    @Nested
    class CustomGrids {
        @Test
        void aValidListIsKeptAndFixesTheStepCount() {
            CustomGrid g = (CustomGrid) TimeGrids.parse("custom:1,0.6,0.2,0", 0);
            assertArrayEquals(new double[] {1, 0.6, 0.2, 0}, g.times(3));
            assertThrows(IllegalArgumentException.class, () -> g.times(5));
        }

        @Test
        void aGridMayEndAboveZero() {
            assertArrayEquals(new double[] {1, 0.5, 0.1}, new CustomGrid(new double[] {1, 0.5, 0.1}).times(2));
        }

        @Test
        void badGridsAreRejectedWithTheRuleTheyBreak() {
            assertTrue(message("custom:0.9,0.5,0").contains("start at t = 1"));
            assertTrue(message("custom:1,0.5,0.5,0").contains("strictly decreasing"));
            assertTrue(message("custom:1,0.5,-0.1").contains("strictly decreasing") || message("custom:1,0.5,-0.1").contains("end in"));
            assertTrue(message("custom:1").contains("at least 2"));
            assertTrue(message("custom:1,x,0").contains("'x'"));
            assertTrue(message("cosine").contains("unknown schedule"));
        }
    }

    @Test
    void zeroStepsIsRejected() {
        assertThrows(IllegalArgumentException.class, () -> new UniformGrid().times(0));
    }

    private static String message(String spec) {
        return assertThrows(IllegalArgumentException.class, () -> TimeGrids.parse(spec, 0).times(
                spec.startsWith("custom") ? Math.max(1, spec.split(",").length - 1) : 4)).getMessage();
    }
}
