package dev.asyncdiff.asyndm;

import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

import java.util.ArrayList;
import java.util.List;
import java.util.function.DoubleBinaryOperator;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ProgressScheduleTest {
    static Stream<ProgressSchedule> schedules() {
        List<ProgressSchedule> out = new ArrayList<>(List.of(new ProgressSchedule.Linear()));
        for (double k : new double[] {0.3, 0.5, 0.7, 0.95}) {
            out.add(new ProgressSchedule.Quadratic(k));
            out.add(new ProgressSchedule.Piecewise(k));
            out.add(new ProgressSchedule.Exponential(k));
        }
        return out.stream();
    }

    @Nested
    class TheShiftedConcaveGuarantee {
        @ParameterizedTest(name = "{0}")
        @MethodSource("dev.asyncdiff.asyndm.ProgressScheduleTest#schedules")
        void fromAnyStartEverySchedulesReachesZeroExactlyAtTheLastStepWithoutMovingBack(ProgressSchedule s) {
            for (int steps : new int[] {1, 2, 3, 4, 10, 15, 50}) {
                for (int start = 0; start < steps; start++) {
                    for (double rho0 : new double[] {1.0, 0.93, 0.5, 0.2, 0.01, 0.0}) {
                        double rho = rho0;
                        for (int k = start; k < steps; k++) {
                            double next = s.next(rho, steps - k, steps);
                            assertTrue(next <= rho && next >= 0, s.spec() + ", K=" + steps + ", from step " + start
                                    + " at " + rho0 + ": step " + k + " moved " + rho + " → " + next);
                            rho = next;
                        }
                        assertEquals(0.0, rho, 0.0, s.spec() + " K=" + steps + " from " + rho0 + " at " + start);
                    }
                }
            }
        }
    }

    static Stream<Arguments> curves() {
        return Stream.of(0.3, 0.7).flatMap(k -> Stream.of(
                Arguments.of(new ProgressSchedule.Quadratic(k),
                        (DoubleBinaryOperator) (x, n) -> 1 - x / n + k * x * (n - x) / (n * n)),
                Arguments.of(new ProgressSchedule.Piecewise(k),
                        (DoubleBinaryOperator) (x, n) -> Math.min(1 - (1 - k) * x / n, (1 + k) * (n - x) / n)),
                Arguments.of(new ProgressSchedule.Exponential(k),
                        (DoubleBinaryOperator) (x, n) -> 1 - k * (Math.exp(x / n) - 1) / (Math.E - 1)
                                - (1 - k) * x / n)));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("curves")
    void fromTheStartEachConcaveScheduleFollowsItsClosedFormCurveAboveTheLinearOne(ProgressSchedule s,
                                                                                  DoubleBinaryOperator curve) {
        for (int steps : new int[] {4, 10, 15, 50}) {
            double rho = 1;
            for (int x = 1; x <= steps; x++) {
                rho = s.next(rho, steps - x + 1, steps);
                assertEquals(curve.applyAsDouble(x, steps), rho, 1e-12, s.spec() + ", K=" + steps + ", step " + x);
                if (x < steps) {
                    assertTrue(rho > 1 - (double) x / steps, "slower than linear at step " + x);
                }
            }
        }
    }

    @Test
    void theLinearScheduleIsTheGridsProgress() {
        double rho = 1;
        for (int x = 1; x <= 15; x++) {
            rho = new ProgressSchedule.Linear().next(rho, 15 - x + 1, 15);
            assertEquals(1 - x / 15.0, rho, 1e-15);
        }
    }

    /** The public AsynDM code's quadratic step on integer timesteps (T = 1000), written as it is there. */
    private static double referenceQuadratic(double s, int n, int bigN, double k, double tau) {
        double t = 1000;
        double kPrime = -k * t / ((double) bigN * bigN);
        double t0 = (kPrime * n * n - (tau - s)) / (2 * kPrime * n);
        return s + kPrime * (1 - 2 * t0);
    }

    @ParameterizedTest
    @ValueSource(doubles = {0.3, 0.5, 0.7})
    void theQuadraticStepIsTheReferencesOnTimestepsDividedByTExceptWhereThatWouldAddNoise(double k) {
        var q = new ProgressSchedule.Quadratic(k);
        int moved = 0;
        for (int n = 2; n <= 20; n++) {
            for (double s : new double[] {1000, 800, 640, 100}) {
                double reference = referenceQuadratic(s, n, 20, k, 0) / 1000;
                if (reference <= s / 1000) {
                    assertEquals(reference, q.next(s / 1000, n, 20), 1e-12, "s=" + s + ", n=" + n);
                    moved++;
                } else {
                    assertEquals(s / 1000, q.next(s / 1000, n, 20), 0.0, "a position far ahead of its curve waits");
                }
            }
        }
        assertTrue(moved > 40, "most steps are the reference's");
    }

    @Nested
    class Specs {
        @Test
        void aSpecNamesTheScheduleAndItsStrengthWithTheReferenceDefault() {
            assertEquals(new ProgressSchedule.Quadratic(0.7), ProgressSchedule.parse("quadratic"));
            assertEquals(new ProgressSchedule.Piecewise(0.3), ProgressSchedule.parse("piecewise:0.3"));
            assertEquals(new ProgressSchedule.Exponential(0.5), ProgressSchedule.parse(" Exponential:0.5 "));
            assertEquals(new ProgressSchedule.Linear(), ProgressSchedule.parse("linear"));
            assertEquals("quadratic:0.7", ProgressSchedule.parse("quadratic").spec());
        }

        @ParameterizedTest
        @ValueSource(strings = {"quadratic:0", "quadratic:1", "piecewise:1.5", "exponential:-0.2", "quadratic:NaN"})
        void aStrengthOutsideTheOpenUnitIntervalIsRefused(String spec) {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                    () -> ProgressSchedule.parse(spec));
            assertTrue(e.getMessage().contains("must lie in (0, 1)"), e.getMessage());
        }

        @ParameterizedTest
        @ValueSource(strings = {"cubic", "quadratic:x", "linear:0.5", "quadratic:0.5:2"})
        void anUnknownOrMalformedScheduleIsRefusedWithTheForms(String spec) {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                    () -> ProgressSchedule.parse(spec));
            assertTrue(e.getMessage().contains(spec.split(":")[0]), e.getMessage());
        }
    }
}
