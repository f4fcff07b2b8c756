package dev.asyncdiff.sample;

import dev.asyncdiff.Generation;
import dev.asyncdiff.Pipeline;
import dev.asyncdiff.model.FlowModel;
import dev.asyncdiff.model.Timesteps;
import dev.asyncdiff.model.gmm.GmmFlowModel;
import dev.asyncdiff.model.gmm.GmmSpec;
import dev.asyncdiff.policy.Policies;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

import java.util.Collections;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class SolverTest {
    static final GmmSpec SPEC = SamplerTest.SPEC;

    /** The model's guided velocity (guidance 1: conditional only) at one time, widened to double. */
    private static double[] v(FlowModel m, String prompt, double[] x, double t) {
        float[] xf = new float[x.length];
        for (int j = 0; j < x.length; j++) {
            xf[j] = (float) x[j];
        }
        float[] out = m.velocity(new float[][] {xf}, new Timesteps.PerSample(new double[] {t}),
                m.encode(List.of(prompt)))[0];
        double[] d = new double[out.length];
        for (int j = 0; j < d.length; j++) {
            d[j] = out[j];
        }
        return d;
    }

    /** a·x + b·y, entry by entry. */
    private static double[] lin(double a, double[] x, double b, double[] y) {
        double[] out = new double[x.length];
        for (int j = 0; j < x.length; j++) {
            out[j] = a * x[j] + b * y[j];
        }
        return out;
    }

    private static double[] widen(float[] x) {
        double[] d = new double[x.length];
        for (int j = 0; j < d.length; j++) {
            d[j] = x[j];
        }
        return d;
    }

    private static void assertClose(double[] expected, float[] actual, double tol, String what) {
        for (int j = 0; j < expected.length; j++) {
            assertEquals(expected[j], actual[j], tol, what + ", entry " + j);
        }
    }

    @Nested
    class StepFormulas {
        @Test
        void heunCorrectsAtTheNextGridTimeAndTakesTheEulerStepOntoZero() {
            double d = 0.3;
            Pipeline p = Pipeline.gmm(SPEC).guidance(1).schedule("custom:1,0.6,0.25,0").solver(Solver.HEUN)
                    .async(Policies.fixed(d));
            Generation g = p.generate("", 1);
            double[] t = p.grid();
            FlowModel m = p.model();
            double[] x = widen(g.xInit()[0]);
            for (int k = 0; k < 3; k++) {
                double tCond = k == 0 ? t[0] : t[k - 1] + (1 + d) * (t[k] - t[k - 1]); // Eq. 6: η = 0.5 + r, r = 0.5 + D
                double h = t[k + 1] - t[k];
                double[] v1 = v(m, "", x, tCond);
                if (t[k + 1] == 0) {
                    x = lin(1, x, h, v1);
                } else {
                    double[] v2 = v(m, "", lin(1, x, h, v1), t[k + 1]);
                    x = lin(1, x, h / 2, lin(1, v1, 1, v2));
                }
                List<Double> evaluations = g.trajectories().get(0).steps().get(k).evaluations();
                assertEquals(t[k + 1] == 0 ? 1 : 2, evaluations.size(), "k=" + k + ": no corrector onto t = 0");
                assertEquals(tCond, evaluations.get(0), 1e-12, "k=" + k);
                if (t[k + 1] > 0) {
                    assertEquals(t[k + 1], evaluations.get(1), 0.0, "k=" + k + ": the corrector is at t_{k+1}");
                }
            }
            assertClose(x, g.xFinal()[0], 1e-5, "Heun");
        }

        @Test
        void dpmSolverPlusPlus2MFollowsItsDataPredictionFormulaInLambda() {
            double d = 0.2;
            Pipeline p = Pipeline.gmm(SPEC).guidance(1).schedule("custom:1,0.7,0.4,0.15,0")
                    .solver(Solver.DPMPP_2M).async(Policies.fixed(d));
            Generation g = p.generate("1", 1);
            double[] t = p.grid();
            FlowModel m = p.model();
            double[] x = widen(g.xInit()[0]);
            double[] dPrev = null;
            for (int k = 0; k < 4; k++) {
                double tCond = k == 0 ? t[0] : t[k - 1] + (1 + d) * (t[k] - t[k - 1]);
                double[] dk = lin(1, x, -t[k], v(m, "1", x, tCond)); // D_k = x − t_k·v(x, t*_k)
                if (k == 0) {
                    x = lin(t[1], x, 1 - t[1], dk); // σ_1/σ_0 = σ_1, e^{−h_0} = 0 at α_0 = 0
                } else if (t[k + 1] == 0) {
                    x = dk;
                } else {
                    double h = lambda(t[k + 1]) - lambda(t[k]);
                    double[] dd = dk;
                    if (k >= 2) { // k = 1 follows t = 1: ρ = ∞, first order
                        double rho = (lambda(t[k]) - lambda(t[k - 1])) / h;
                        dd = lin(1 + 1 / (2 * rho), dk, -1 / (2 * rho), dPrev);
                    }
                    x = lin(t[k + 1] / t[k], x, -(1 - t[k + 1]) * (Math.exp(-h) - 1), dd);
                }
                dPrev = dk;
            }
            assertClose(x, g.xFinal()[0], 1e-5, "DPM-Solver++(2M)");
        }

        private static double lambda(double t) {
            return Math.log((1 - t) / t);
        }

        @Test
        void everySolverAgreesWithEulerOnASingleStepOntoZero() {
            Pipeline p = Pipeline.gmm(SPEC).guidance(2).steps(1).seed(3);
            float[][] euler = p.generate(List.of("0", "1"), 2).xFinal();
            for (Solver s : List.of(Solver.HEUN, Solver.DPMPP_2M)) {
                float[][] other = p.solver(s).generate(List.of("0", "1"), 2).xFinal();
                for (int i = 0; i < euler.length; i++) {
                    org.junit.jupiter.api.Assertions.assertArrayEquals(euler[i], other[i], s.name());
                }
            }
        }

        @Test
        void unknownSolversAndVelocityScaleWithAHigherOrderSolverAreRefused() {
            String m = assertThrows(IllegalArgumentException.class, () -> Solver.parse("rk4")).getMessage();
            assertEquals("unknown solver 'rk4' (choose euler, heun or dpmpp2m)", m);
            Pipeline p = Pipeline.gmm(SPEC);
            assertThrows(IllegalArgumentException.class, () -> p.solver(Solver.HEUN).velocityScale());
            assertThrows(IllegalArgumentException.class, () -> p.velocityScale().solver("dpmpp2m"));
            assertEquals(Solver.DPMPP_2M, p.solver("dpmpp2m").solver());
        }
    }

    @Nested
    class ConvergenceOrder {
        static final int SAMPLES = 6;
        final GmmFlowModel model = new GmmFlowModel(SPEC);

        @Test
        void eulerIsFirstOrderAndHeunSecondOnTheUniformGrid() {
            double euler = order(Solver.EULER, ConvergenceOrder::uniform, new int[] {16, 32, 64, 128});
            double heun = order(Solver.HEUN, ConvergenceOrder::uniform, new int[] {16, 32, 64, 128});
            System.out.printf("measured order: euler %.3f, heun %.3f%n", euler, heun);
            assertEquals(1.0, euler, 0.1);
            assertEquals(2.0, heun, 0.15);
        }

        @Test
        void dpmSolverPlusPlus2MIsSecondOrderUniformInLambdaAndLessOnTheUniformGrid() {
            double lambdaGrid = order(Solver.DPMPP_2M, ConvergenceOrder::lambdaUniform, new int[] {16, 32, 64, 128});
            double tGrid = order(Solver.DPMPP_2M, ConvergenceOrder::uniform, new int[] {16, 32, 64, 128});
            System.out.printf("measured order: dpmpp2m lambda-uniform %.3f, uniform t %.3f%n", lambdaGrid, tGrid);
            assertEquals(2.0, lambdaGrid, 0.15);
            assertTrue(tGrid > 1.5 && tGrid < 1.9, "uniform t-grid: " + tGrid);
        }

        static double[] uniform(int k) {
            double[] t = new double[k + 1];
            for (int i = 0; i <= k; i++) {
                t[i] = 1.0 - (double) i / k;
            }
            t[k] = 0.0;
            return t;
        }

        /** From t = 0.9 to 0.1, uniform in λ = log((1 − t)/t) (the ends, where λ is infinite, left out). */
        static double[] lambdaUniform(int k) {
            double l0 = Math.log(0.1 / 0.9);
            double[] t = new double[k + 1];
            for (int i = 0; i <= k; i++) {
                t[i] = 1.0 / (1.0 + Math.exp(l0 - 2 * l0 * i / k));
            }
            return t;
        }

        /** Least-squares slope of −log(error) against log(K). */
        private double order(Solver solver, java.util.function.IntFunction<double[]> grids, int[] ks) {
            float[][] xInit = LoopRun.noise(SAMPLES, SPEC.dimension());
            double[] logK = new double[ks.length];
            double[] logErr = new double[ks.length];
            for (int a = 0; a < ks.length; a++) {
                double[] grid = grids.apply(ks[a]);
                float[][] x = sample(solver, grid, xInit);
                double sq = 0;
                for (int i = 0; i < SAMPLES; i++) {
                    double[] ref = ReferenceOde.solve(SPEC, widen(xInit[i]), grid[0], grid[grid.length - 1]);
                    for (int j = 0; j < ref.length; j++) {
                        sq += (x[i][j] - ref[j]) * (x[i][j] - ref[j]);
                    }
                }
                logK[a] = Math.log(ks[a]);
                logErr[a] = Math.log(Math.sqrt(sq / (SAMPLES * SPEC.dimension())));
            }
            double mk = java.util.Arrays.stream(logK).average().orElseThrow();
            double me = java.util.Arrays.stream(logErr).average().orElseThrow();
            double num = 0;
            double den = 0;
            for (int a = 0; a < ks.length; a++) {
                num += (logK[a] - mk) * (logErr[a] - me);
                den += (logK[a] - mk) * (logK[a] - mk);
            }
            return -num / den;
        }

        private float[][] sample(Solver solver, double[] grid, float[][] xInit) {
            return LoopRun.run(model, LoopRun.settings(grid, 1, Policies.sync(), solver, LatentClock.GRID),
                    Collections.nCopies(SAMPLES, ""), xInit).x();
        }
    }
}
