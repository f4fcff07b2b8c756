package dev.asyncdiff.sample;

import dev.asyncdiff.Generation;
import dev.asyncdiff.Pipeline;
import dev.asyncdiff.model.FlowModel;
import dev.asyncdiff.model.Timesteps;
import dev.asyncdiff.model.gmm.GmmFlowModel;
import dev.asyncdiff.model.gmm.GmmSpec;
import dev.asyncdiff.policy.Policies;
import dev.asyncdiff.policy.PolicyInput;
import dev.asyncdiff.policy.TimestepPolicy;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class SamplerTest {
    static final GmmSpec SPEC = new GmmSpec(new double[] {0.5, 0.5}, new double[][] {{-2, 1, 0}, {2, -1, 0.5}},
            new double[] {0.5, 0.7});
    static final Pipeline BASE = Pipeline.gmm(SPEC).steps(8).guidance(3).seed(5);
    static final List<String> PROMPTS = List.of("0", "1", "");

    private static void assertSameRows(float[][] a, float[][] b) {
        assertEquals(a.length, b.length);
        for (int i = 0; i < a.length; i++) {
            assertArrayEquals(a[i], b[i], "row " + i);
        }
    }

    @Nested
    class Synchronous {
        @Test
        void matchesAPlainEulerLoopBitForBit() {
            Generation g = BASE.generate(PROMPTS, 3);
            double[] grid = BASE.grid();
            for (int i = 0; i < g.size(); i++) {
                float[] ref = ReferenceEuler.sync(BASE.model(), g.prompts().get(i), g.xInit()[i], grid, 3);
                assertArrayEquals(ref, g.xFinal()[i], "sample " + i);
            }
        }

        @Test
        void manyStepsReproduceTheMixtureMeanAndCovariance() {
            GmmSpec spec = new GmmSpec(new double[] {0.3, 0.7}, new double[][] {{-1.5, 0.5}, {1.0, -1.0}},
                    new double[] {0.4, 0.6});
            int n = 4000;
            Generation g = Pipeline.gmm(spec).guidance(1).steps(200).seed(1).batchSize(500).generate("", n);
            double[] mean = new double[2];
            for (float[] x : g.xFinal()) {
                mean[0] += x[0] / n;
                mean[1] += x[1] / n;
            }
            double[][] cov = new double[2][2];
            for (float[] x : g.xFinal()) {
                for (int a = 0; a < 2; a++) {
                    for (int b = 0; b < 2; b++) {
                        cov[a][b] += (x[a] - mean[a]) * (x[b] - mean[b]) / (n - 1);
                    }
                }
            }
            // Exact mixture moments: E[x] = Σ π μ, Cov = Σ π (s²I + μμᵀ) − E[x]E[x]ᵀ.
            double[] m = new double[2];
            double[][] c = new double[2][2];
            for (int k = 0; k < 2; k++) {
                for (int a = 0; a < 2; a++) {
                    m[a] += spec.weights()[k] * spec.means()[k][a];
                }
            }
            for (int k = 0; k < 2; k++) {
                for (int a = 0; a < 2; a++) {
                    for (int b = 0; b < 2; b++) {
                        double s2 = a == b ? spec.stds()[k] * spec.stds()[k] : 0;
                        c[a][b] += spec.weights()[k] * (s2 + spec.means()[k][a] * spec.means()[k][b]);
                    }
                }
            }
            for (int a = 0; a < 2; a++) {
                for (int b = 0; b < 2; b++) {
                    c[a][b] -= m[a] * m[b];
                }
            }
            assertEquals(m[0], mean[0], 0.06);
            assertEquals(m[1], mean[1], 0.05);
            assertEquals(c[0][0], cov[0][0], 0.08);
            assertEquals(c[1][1], cov[1][1], 0.05);
            assertEquals(c[0][1], cov[0][1], 0.05);
        }
    }

    @Nested
    class Asynchronous {
        @ParameterizedTest
        @ValueSource(doubles = {0.0, 0.5, 1.0, 2.5})
        void theSynchronousPolicyIsBitIdenticalToSyncSamplingForAnyGammaAndBound(double gamma) {
            Generation sync = BASE.generate(PROMPTS, 2);
            assertSameRows(sync.xFinal(), BASE.async(Policies.sync()).gamma(gamma).generate(PROMPTS, 2).xFinal());
            assertSameRows(sync.xFinal(), BASE.sync().gamma(gamma).liftedBound().generate(PROMPTS, 2).xFinal());
        }

        @Test
        void gammaZeroWithAnyDeviationIsSynchronous() {
            assertSameRows(BASE.generate(PROMPTS, 2).xFinal(),
                    BASE.async(Policies.fixed(0.4)).gamma(0).generate(PROMPTS, 2).xFinal());
        }

        @ParameterizedTest
        @ValueSource(doubles = {-0.5, -0.2, 0.1, 0.3, 0.5})
        void fixedDeviationConditionsAtTheEq6Time(double d) {
            Generation g = BASE.async(Policies.fixed(d)).generate("0", 1);
            double[] t = BASE.grid();
            List<TrajectoryStep> steps = g.trajectories().get(0).steps();
            assertEquals(t[0], steps.get(0).tCond());
            assertNull(steps.get(0).r());
            assertEquals(0.0, steps.get(0).deviation());
            double[] tCond = new double[t.length - 1];
            tCond[0] = t[0];
            for (int k = 1; k < steps.size(); k++) {
                double expected = Math.max(1e-3, t[k - 1] + (0.5 + (0.5 + d)) * (t[k] - t[k - 1]));
                assertEquals(expected, steps.get(k).tCond(), 1e-12, "k=" + k);
                assertEquals(0.5 + d, steps.get(k).r(), 1e-15);
                tCond[k] = steps.get(k).tCond();
                if (expected > 1e-3) {
                    assertEquals(d, steps.get(k).deviation(), 1e-9);
                }
            }
            double[] ones = new double[tCond.length];
            Arrays.fill(ones, 1.0);
            float[] ref = ReferenceEuler.run(BASE.model(), "0", g.xInit()[0], t, tCond, ones, 3);
            assertArrayEquals(ref, g.xFinal()[0], 1e-6f);
        }

        @Test
        void gammaScalesTheDeviationAsEq12() {
            Generation g = BASE.async(Policies.fixed(0.2)).gamma(1.5).generate("0", 1);
            for (TrajectoryStep s : g.trajectories().get(0).steps().subList(1, 7)) {
                assertEquals(1 + 0.2 * 1.5, s.eta(), 1e-9);
            }
        }

        @Test
        void liftedBoundDoublesTheDeviationAndSpansMinusOneToOne() {
            Pipeline lifted = Pipeline.gmm(SPEC).steps(20).liftedBound();
            for (double d : new double[] {-0.5, -0.25, 0.25, 0.5}) {
                Generation g = lifted.async(Policies.fixed(d)).generate("0", 1);
                for (TrajectoryStep s : g.trajectories().get(0).steps()) {
                    assertTrue(s.deviation() >= -1 - 1e-12 && s.deviation() <= 1 + 1e-12);
                    if (s.k() > 0 && s.tCond() > 1e-3) {
                        assertEquals(2 * (0.5 + d), s.eta(), 1e-9); // η = 2r
                    }
                }
            }
        }

        @Test
        void conditioningTimesAreClampedAtSigmaMinAndTheRealisedEtaIsRecorded() {
            Generation g = Pipeline.gmm(SPEC).steps(4).liftedBound().async(Policies.fixed(0.5)).sigmaMin(0.01)
                    .generate("0", 1);
            TrajectoryStep last = g.trajectories().get(0).steps().get(3); // t = 0.25, t_prev = 0.5: 2r = 2 → t* = 0
            assertEquals(0.01, last.tCond(), 0.0);
            assertEquals((0.01 - 0.5) / (0.25 - 0.5), last.eta(), 1e-12);
            assertEquals(last.eta() - 1, last.deviation(), 1e-15);
        }

        @Test
        void negativeEtaIsClampedAtOne() {
            Generation g = Pipeline.gmm(SPEC).steps(4).gamma(4).async(Policies.fixed(-0.5)).generate("0", 1);
            TrajectoryStep s = g.trajectories().get(0).steps().get(1); // η = 1 − 0.5·4 = −1 → t* = 1.25 → 1
            assertEquals(1.0, s.tCond(), 0.0);
        }
    }

    @Nested
    class VelocityMultiplier {
        @Test
        void atROneHalfItIsSynchronous() {
            assertSameRows(BASE.generate(PROMPTS, 2).xFinal(),
                    BASE.sync().velocityScale().gamma(3).generate(PROMPTS, 2).xFinal());
        }

        @Test
        void scalesEveryUpdateIncludingTheFirstByOmega() {
            Generation g = BASE.async(Policies.fixed(0.3)).velocityScale().gamma(0.5).generate("1", 1);
            double[] t = BASE.grid();
            double[] omega = new double[t.length - 1];
            Arrays.fill(omega, 1 + 0.3 * 0.5);
            float[] ref = ReferenceEuler.run(BASE.model(), "1", g.xInit()[0], t, Arrays.copyOf(t, t.length - 1), omega, 3);
            assertArrayEquals(ref, g.xFinal()[0]);
            for (TrajectoryStep s : g.trajectories().get(0).steps()) {
                assertEquals(s.t(), s.tCond());
                assertEquals(0.8, s.r(), 1e-15);
            }
        }
    }

    @Nested
    class Guidance {
        @Test
        void cfgIsTheLinearCombinationOfEq5() {
            FlowModel m = BASE.model();
            float[][] x = {{0.3f, -0.2f, 1.0f}, {-1f, 0.5f, 0.1f}};
            Timesteps t = new Timesteps.PerSample(new double[] {0.6, 0.3});
            float[][] vc = m.velocity(x, t, m.encode(List.of("0", "1")));
            float[][] vu = m.velocity(x, t, m.unconditional(2));
            for (double w : new double[] {0, 1, 2.5, 5}) {
                float[][] v = new ClassifierFreeGuidance(w).velocity(m, x, t, m.encode(List.of("0", "1")));
                for (int i = 0; i < 2; i++) {
                    for (int j = 0; j < 3; j++) {
                        assertEquals(vu[i][j] + w * (vc[i][j] - vu[i][j]), v[i][j], 1e-5, "w=" + w);
                    }
                }
            }
        }

        @Test
        void distilledGuidanceMakesOneConditionalPassWithTheScaleAsInput() {
            GmmFlowModel gmm = new GmmFlowModel(SPEC);
            int[] calls = {0};
            FlowModel distilled = new DelegatingModel(gmm) {
                @Override
                public dev.asyncdiff.model.Conditioning withGuidanceInput(dev.asyncdiff.model.Conditioning c, double g) {
                    return new ScaledCondition(c, g);
                }

                @Override
                public float[][] velocity(float[][] x, Timesteps t, dev.asyncdiff.model.Conditioning c) {
                    calls[0]++;
                    ScaledCondition sc = (ScaledCondition) c; // a plain conditioning here would mean a missed input
                    float[][] v = gmm.velocity(x, t, sc.inner());
                    for (float[] row : v) {
                        for (int j = 0; j < row.length; j++) {
                            row[j] *= (float) sc.scale();
                        }
                    }
                    return v;
                }
            };
            Pipeline p = Pipeline.of(distilled, "distilled").steps(6).distilledGuidance(0.5);
            Generation g = p.generate("1", 1);
            assertEquals(6, calls[0]);
            double[] t = p.grid();
            double[] omega = new double[6];
            Arrays.fill(omega, 0.5);
            float[] ref = ReferenceEuler.run(gmm, "1", g.xInit()[0], t, Arrays.copyOf(t, 6), omega, 1);
            assertArrayEquals(ref, g.xFinal()[0], 1e-6f);
            assertEquals("distilled:2.0", p.guidance(2).guidance().spec(), "guidance(w) keeps the kind");
        }

        @Test
        void aBackboneWithoutAGuidanceInputRefusesDistilledGuidance() {
            String m = assertThrows(IllegalStateException.class,
                    () -> BASE.distilledGuidance(3.5).generate("0", 1)).getMessage();
            assertTrue(m.contains("takes no guidance input"), m);
        }

        @Test
        void scaleZeroIsTheUnconditionalModel() {
            Generation a = BASE.guidance(0).generate("1", 2);
            Generation b = BASE.guidance(1).generate("", 2);
            assertSameRows(a.xFinal(), b.xFinal());
        }
    }

    @Nested
    class Randomness {
        @Test
        void aSampleIsTheSameAloneOrInABatchOfAnySize() {
            float[][] all = BASE.batchSize(16).generate(PROMPTS, 5).xFinal();
            assertSameRows(all, BASE.batchSize(1).generate(PROMPTS, 5).xFinal());
            assertSameRows(all, BASE.batchSize(4).generate(PROMPTS, 5).xFinal());
        }

        @Test
        void sameSeedSameResultOtherSeedOtherResult() {
            assertSameRows(BASE.generate(PROMPTS, 2).xInit(), BASE.generate(PROMPTS, 2).xInit());
            assertFalse(Arrays.equals(BASE.generate(PROMPTS, 1).xInit()[0], BASE.seed(6).generate(PROMPTS, 1).xInit()[0]));
        }

        @Test
        void samplesArePromptMajor() {
            Generation g = BASE.generate(PROMPTS, 2);
            assertEquals(List.of("0", "0", "1", "1", "", ""), g.prompts());
            for (int i = 0; i < g.size(); i++) {
                assertEquals(i, g.trajectories().get(i).index());
            }
        }
    }

    @Nested
    class Control {
        @Test
        void aCallbackSeesEveryStepAndCanStopSampling() {
            List<Integer> seen = new ArrayList<>();
            Generation g = BASE.onStep(e -> {
                seen.add(e.k());
                return e.k() < 2;
            }).generate("0", 3);
            assertTrue(g.stopped());
            assertEquals(List.of(0, 1, 2), seen);
            assertEquals(3, g.trajectories().get(0).steps().size());
        }

        @Test
        void aGridEndingAboveZeroFinishesWithOneCleanPrediction() {
            Pipeline p = Pipeline.gmm(SPEC).guidance(1).schedule("custom:1,0.6,0.3");
            Generation g = p.generate("0", 1);
            float[] x = ReferenceEuler.sync(p.model(), "0", g.xInit()[0], p.grid(), 1);
            float[] v = p.model().velocity(new float[][] {x}, new Timesteps.PerSample(new double[] {0.3}),
                    p.model().encode(List.of("0")))[0];
            for (int j = 0; j < x.length; j++) {
                assertEquals(x[j] - 0.3f * v[j], g.xFinal()[0][j], 1e-6f);
            }
        }

        @Test
        void statesAreRecordedOnRequestWithTheCleanPrediction() {
            Generation g = BASE.recordStates(true).generate("0", 1);
            Trajectory tr = g.trajectories().get(0);
            assertEquals(8, tr.states().size());
            StepState s = tr.states().get(3);
            double t = tr.steps().get(3).t();
            for (int j = 0; j < s.x().length; j++) {
                assertEquals(s.x()[j] - t * s.v()[j], s.x0()[j], 1e-6);
            }
            assertTrue(BASE.generate("0", 1).trajectories().get(0).states().isEmpty());
        }

        @Test
        void aPolicyValueOutsideTheUnitIntervalIsAnError() {
            TimestepPolicy bad = new TimestepPolicy() {
                @Override
                public double[] decide(PolicyInput in) {
                    double[] r = new double[in.size()];
                    Arrays.fill(r, 1.5);
                    return r;
                }

                @Override
                public String spec() {
                    return "bad";
                }
            };
            assertTrue(assertThrows(IllegalStateException.class, () -> BASE.async(bad).generate("0", 1)).getMessage()
                    .contains("r must lie in [0, 1]"));
        }

        @Test
        void theMissingBackbonesFailWithAMessageNamingThem() {
            assertEquals(10, Pipeline.flux().steps());
            assertEquals(15, Pipeline.sd35().steps());
            String m = assertThrows(IllegalStateException.class, () -> Pipeline.flux().generate("a cat", 1)).getMessage();
            assertTrue(m.contains("flux.1-dev") && m.contains("holds no weights") && m.contains("--weights DIR"), m);
        }

        @Test
        void presetsAreNamedByOneStringAndUnknownNamesListTheChoices() {
            assertEquals(Pipeline.sd35().describe(), Pipeline.named("sd35").describe());
            assertEquals(Pipeline.flux().describe(), Pipeline.named("flux").describe());
            assertEquals("tiny", Pipeline.named("tiny").backbone());
            String m = assertThrows(IllegalArgumentException.class, () -> Pipeline.named("sdxl")).getMessage();
            assertTrue(m.contains("'sdxl'") && m.contains("tiny, flux or sd35"), m);
        }

        @Test
        void pipelinesAreImmutable() {
            Pipeline a = BASE;
            Pipeline b = a.steps(3).gamma(2).liftedBound();
            assertEquals(8, a.steps());
            assertEquals(1.0, a.gamma());
            assertEquals(DeviationBound.HALF, a.bound());
            assertEquals(3, b.steps());
        }
    }

    record ScaledCondition(dev.asyncdiff.model.Conditioning inner, double scale) implements dev.asyncdiff.model.Conditioning {
        @Override
        public int size() {
            return inner.size();
        }

        @Override
        public dev.asyncdiff.model.Conditioning concat(dev.asyncdiff.model.Conditioning other) {
            throw new UnsupportedOperationException("distilled guidance never concatenates");
        }
    }

    /** Forwards everything to another model; tests override what they check. */
    abstract static class DelegatingModel implements FlowModel {
        private final FlowModel inner;

        DelegatingModel(FlowModel inner) {
            this.inner = inner;
        }

        @Override
        public int[] latentShape() {
            return inner.latentShape();
        }

        @Override
        public int positions() {
            return inner.positions();
        }

        @Override
        public int positionOf(int index) {
            return inner.positionOf(index);
        }

        @Override
        public dev.asyncdiff.model.Conditioning encode(List<String> prompts) {
            return inner.encode(prompts);
        }

        @Override
        public dev.asyncdiff.model.Conditioning unconditional(int n) {
            return inner.unconditional(n);
        }
    }
}
