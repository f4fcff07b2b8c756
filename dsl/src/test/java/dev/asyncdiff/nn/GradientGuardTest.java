package dev.asyncdiff.nn;

import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Which gradient norms the guard lets Adam apply: spikes over the recent median, non-finite norms, retries. */
class GradientGuardTest {
    private final ByteArrayOutputStream log = new ByteArrayOutputStream();
    private final GradientGuard guard = new GradientGuard(new PrintStream(log, true));

    private void apply(double norm, long step) {
        guard.check(norm, guard.limit(step), step);
    }

    @Test
    void noLimitUntilFiveNormsAreKnownThenAThousandTimesTheirMedian() {
        double[] norms = {4, 1, 5, 2, 3};
        for (int i = 0; i < norms.length; i++) {
            assertEquals(Double.POSITIVE_INFINITY, guard.limit(i));
            apply(norms[i], i);
        }
        assertEquals(1000 * 3, guard.limit(5), 1e-9);   // median of 1..5
    }

    @Test
    void theMedianIsOverTheLastFiftyAppliedNorms() {
        for (int i = 1; i <= 60; i++) {
            apply(i, i);
        }
        // norms 11..60 remain; the guard takes the upper of the two middle ones, 36
        assertEquals(1000 * 36, guard.limit(61), 1e-9);
    }

    @Test
    void aSpikeIsSkippedThenItsStepRetriedWithoutLimitAndNotLearnedFrom() {
        for (int i = 0; i < 5; i++) {
            apply(2.0, i);
        }
        double limit = guard.limit(5);
        guard.check(7000, limit, 5);
        assertTrue(log.toString().contains("step 5: gradient norm 7.00e+03 is over 1000 times the recent median"),
                log.toString());
        assertEquals(Double.POSITIVE_INFINITY, guard.limit(5), "the retry of the spiking step may apply anything");
        apply(7000, 5);   // the spike repeated: genuine, applied
        assertEquals(1000 * 2.0, guard.limit(6), 1e-9, "one large norm among six does not move the median");
    }

    @Test
    void twentyNonFiniteNormsInARowStopTrainingWithAMessage() {
        for (int i = 0; i < GradientGuard.MAX_IN_A_ROW - 1; i++) {
            guard.check(Double.NaN, guard.limit(3), 3);
        }
        apply(1.0, 3);   // a finite one resets the count
        for (int i = 0; i < GradientGuard.MAX_IN_A_ROW - 1; i++) {
            guard.check(Double.POSITIVE_INFINITY, guard.limit(4), 4);
        }
        IllegalStateException e = assertThrows(IllegalStateException.class, () -> guard.check(Double.NaN,
                guard.limit(4), 4));
        assertTrue(e.getMessage().contains("20 non-finite gradients in a row at step 4"), e.getMessage());
    }
}
