package dev.asyncdiff.asyndm;

import dev.asyncdiff.Generation;
import dev.asyncdiff.Pipeline;
import dev.asyncdiff.model.gmm.GmmSpec;
import dev.asyncdiff.sample.TrajectoryStep;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class AsynDmTest {
    private static final GmmSpec GMM = new GmmSpec(new double[] {0.5, 0.5}, new double[][] {{-2, 1, 0}, {2, -1, 0.5}},
            new double[] {0.5, 0.7});
    private static final List<String> PROMPTS = List.of("a red circle left of a blue square", "two green stars");

    @Nested
    class ConcaveEverywhere {
        @Test
        void everyPositionFollowsTheConcaveCurveAndEndsAtZero() {
            int steps = 10;
            Generation g = Pipeline.gmm(GMM).steps(steps).asynDM("quadratic:0.5:everywhere").generate("0", 2);
            List<TrajectoryStep> s = g.trajectories().get(0).steps();
            assertEquals(steps, s.size());
            for (int x = 0; x < steps; x++) {
                double curve = 1 - (double) x / steps + 0.5 * x * (steps - x) / (steps * steps);
                assertEquals(curve, s.get(x).masked().tauIn(), 1e-12, "τ_in at step " + x);
                assertTrue(Double.isNaN(s.get(x).masked().tauOut()), "no position outside the mask");
            }
            assertEquals(0.0, s.get(steps - 1).tNext(), 0.0, "the last step ends at t = 0");
        }
    }

    @Nested
    class TheDisparityLimit {
        @Test
        void aLimitOfZeroIsStandardSamplingBitForBit() {
            Pipeline base = Pipeline.gmm(GMM).steps(8);
            Generation standard = base.generate("1", 3);
            Generation capped = base.asynDM("quadratic:0.7:everywhere").maxDisparity(0).generate("1", 3);
            for (int i = 0; i < 3; i++) {
                assertArrayEquals(standard.xFinal()[i], capped.xFinal()[i], "row " + i);
            }
        }

        @Test
        void relatedPositionsLagTheGridByAtMostTheLimitAndStillEndAtZero() {
            int steps = 10;
            Generation g = Pipeline.gmm(GMM).steps(steps).asynDM("quadratic:0.9:everywhere").maxDisparity(0.05)
                    .generate("0", 1);
            List<TrajectoryStep> s = g.trajectories().get(0).steps();
            boolean bound = false;
            double rho = 1;   // the documented map, iterated here: ρ' = min(ρ − ρ/n + k(n − 1)/K², grid' + Δ)
            for (int x = 0; x < steps; x++) {
                double grid = 1 - (double) x / steps;
                assertEquals(rho, s.get(x).masked().tauIn(), 1e-12, "step " + x);
                assertTrue(rho <= grid + 0.05 + 1e-12, "step " + x + " lags by more than the limit");
                int n = steps - x;
                double concave = rho - rho / n + 0.9 * (n - 1) / (steps * steps);
                double cap = 1 - (x + 1.0) / steps + 0.05;
                bound |= concave > cap;
                rho = Math.min(concave, cap);
            }
            assertTrue(bound, "the limit binds somewhere on this curve");
            assertEquals(0.0, s.get(steps - 1).tNext(), 0.0);
        }

        @Test
        void aNegativeLimitIsRefused() {
            assertThrows(IllegalArgumentException.class, () -> AsynDm.DEFAULT.withMaxDisparity(-0.1));
            assertThrows(IllegalArgumentException.class, () -> AsynDm.DEFAULT.withMaxDisparity(Double.NaN));
        }
    }

    @Nested
    class OnTheTinyBackbone {
        @Test
        void dynamicMasksSlowTheObjectsAndEveryPositionStillEndsAtZero() {
            Generation g = Pipeline.tiny().steps(6).asynDM().generate(PROMPTS, 1);
            for (var t : g.trajectories()) {
                for (TrajectoryStep s : t.steps()) {
                    boolean[] mask = s.masked().mask();
                    assertNotNull(mask);
                    int related = 0;
                    for (boolean m : mask) {
                        related += m ? 1 : 0;
                    }
                    assertTrue(related > 0 && related < mask.length, "step " + s.k() + ": " + related + " of "
                            + mask.length + " positions related");
                    if (s.k() > 0) {
                        assertTrue(s.masked().tauIn() >= s.masked().tauOut() - 1e-12, "step " + s.k()
                                + ": τ_in " + s.masked().tauIn() + " < τ_out " + s.masked().tauOut());
                    }
                }
                assertEquals(0.0, t.steps().get(5).tNext(), 0.0);
            }
        }

        @Test
        void aMaskThatHoldsNoPositionIsStandardSamplingBitForBit() {
            Pipeline base = Pipeline.tiny().steps(4);
            Generation standard = base.generate(PROMPTS, 1);
            Generation empty = base.asynDM().maskThreshold(1e9).generate(PROMPTS, 1);
            for (int i = 0; i < PROMPTS.size(); i++) {
                assertArrayEquals(standard.xFinal()[i], empty.xFinal()[i], "row " + i);
            }
        }

        @Test
        void fixedMasksStayTheSameAtEveryStep() {
            Generation g = Pipeline.tiny().steps(4).asynDM().fixedMasks().generate(PROMPTS, 1);
            List<TrajectoryStep> s = g.trajectories().get(0).steps();
            for (TrajectoryStep step : s) {
                assertArrayEquals(s.get(0).masked().mask(), step.masked().mask(), "step " + step.k());
            }
        }

        @Test
        void standardSamplingRecordsNoMaskedTimes() {
            assertNull(Pipeline.tiny().steps(2).generate("a red circle", 1).trajectories().get(0).steps().get(0)
                    .masked());
        }
    }

    @Nested
    class BadSettings {
        @Test
        void masksOnABackboneWithoutAttentionAreRefusedNamingTheMaskFreeMode() {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                    () -> Pipeline.gmm(GMM).steps(3).asynDM().generate("0", 1));
            assertTrue(e.getMessage().contains("everywhere"), e.getMessage());
        }

        @Test
        void anObjectWordThatIsNotInThePromptIsRefused() {
            Pipeline p = Pipeline.tiny().steps(2).clock(AsynDm.DEFAULT.withObjectWords(java.util.Set.of("dog")));
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                    () -> p.generate("a red circle", 1));
            assertTrue(e.getMessage().contains("'dog' is not in the prompt"), e.getMessage());
        }

        @Test
        void aSpecOutsideTheFormIsRefusedWithTheForm() {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                    () -> AsynDm.parse("quadratic:1.5:fixed"));
            assertTrue(e.getMessage().contains(AsynDm.FORM) && e.getMessage().contains("(0, 1)"), e.getMessage());
            assertThrows(IllegalArgumentException.class, () -> AsynDm.parse("linear"));
            assertEquals("piecewise:0.3:fixed", AsynDm.parse("piecewise:0.3:fixed").spec());
            assertEquals("quadratic:0.7:dynamic", AsynDm.parse("quadratic").spec());
        }

        @Test
        void maskSettingsWithoutAsynDmAreRefused() {
            IllegalStateException e = assertThrows(IllegalStateException.class,
                    () -> Pipeline.tiny().maskThreshold(2));
            assertTrue(e.getMessage().contains("call asynDM() before it"), e.getMessage());
        }
    }
}
