package dev.asyncdiff.model.gmm;

import dev.asyncdiff.model.Timesteps;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.util.List;
import java.util.SplittableRandom;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class GmmFlowModelTest {
    static final GmmSpec SPEC = new GmmSpec(new double[] {0.3, 0.7}, new double[][] {{-1.5, 0.5}, {1.0, -1.0}},
            new double[] {0.4, 0.8});

    /**
     * Independent estimate of E[ε − x0 | x_t = x]: draw x0 from the mixture, weight each by p(x_t = x | x0) =
     * N(x; (1 − t)x0, t²I), and take the self-normalised weighted mean of ε − x0 with ε = (x − (1 − t)x0)/t.
     * Returns the estimate in [0][j] and its standard error (delta method) in [1][j].
     */
    static double[][] monteCarloVelocity(GmmSpec spec, double[] x, double t, int component, int draws, long seed) {
        SplittableRandom rnd = new SplittableRandom(seed);
        int d = x.length;
        double[] w = new double[draws];
        double[][] f = new double[draws][d];
        for (int s = 0; s < draws; s++) {
            int c = component >= 0 ? component : (rnd.nextDouble() < spec.weights()[0] ? 0 : 1);
            double logw = 0;
            for (int j = 0; j < d; j++) {
                double x0 = spec.means()[c][j] + spec.stds()[c] * gaussian(rnd);
                double r = x[j] - (1 - t) * x0;
                logw -= 0.5 * r * r / (t * t);
                f[s][j] = r / t - x0;
            }
            w[s] = Math.exp(logw);
        }
        double sum = java.util.Arrays.stream(w).sum();
        double[][] out = new double[2][d];
        for (int j = 0; j < d; j++) {
            double mean = 0;
            for (int s = 0; s < draws; s++) {
                mean += w[s] * f[s][j] / sum;
            }
            double var = 0;
            for (int s = 0; s < draws; s++) {
                double dev = w[s] / sum * (f[s][j] - mean);
                var += dev * dev;
            }
            out[0][j] = mean;
            out[1][j] = Math.sqrt(var);
        }
        return out;
    }

    private static double gaussian(SplittableRandom r) {
        return Math.sqrt(-2 * Math.log(1 - r.nextDouble())) * Math.cos(2 * Math.PI * r.nextDouble());
    }

    @ParameterizedTest
    @ValueSource(doubles = {0.5, 0.7, 0.9})
    void closedFormVelocityAgreesWithMonteCarlo(double t) {
        GmmFlowModel model = new GmmFlowModel(SPEC);
        double[][] points = {{0.2, -0.3}, {-1.0, 0.4}, {0.8, -0.9}};
        for (double[] p : points) {
            for (String prompt : new String[] {"", "0", "1"}) {
                int comp = prompt.isEmpty() ? -1 : Integer.parseInt(prompt);
                float[] x = {(float) p[0], (float) p[1]};
                float[] v = model.velocity(new float[][] {x}, new Timesteps.PerSample(new double[] {t}),
                        model.encode(List.of(prompt)))[0];
                double[][] mc = monteCarloVelocity(SPEC, new double[] {x[0], x[1]}, t, comp, 400_000, 11);
                for (int j = 0; j < 2; j++) {
                    assertTrue(mc[1][j] < 0.05, "the Monte-Carlo estimate itself is too noisy: " + mc[1][j]);
                    assertEquals(mc[0][j], v[j], 5 * mc[1][j] + 1e-3, "t=" + t + " prompt=" + prompt);
                }
            }
        }
    }

    @Test
    void velocityAtPureNoiseIsXMinusTheMean() {
        GmmFlowModel model = new GmmFlowModel(SPEC);
        float[] v = model.velocity(new float[][] {{0.5f, 0.5f}}, new Timesteps.PerSample(new double[] {1.0}),
                model.encode(List.of("")))[0];
        double mx = 0.3 * -1.5 + 0.7 * 1.0;
        double my = 0.3 * 0.5 + 0.7 * -1.0;
        assertEquals(0.5 - mx, v[0], 1e-6);
        assertEquals(0.5 - my, v[1], 1e-6);
    }

    @Test
    void constantPerTokenTimesGiveTheSameVelocityAsPerSample() {
        GmmFlowModel model = new GmmFlowModel(SPEC);
        float[][] x = {{0.1f, -0.7f}, {1.3f, 0.2f}};
        float[][] a = model.velocity(x, new Timesteps.PerSample(new double[] {0.4, 0.7}), model.encode(List.of("", "1")));
        float[][] b = model.velocity(x, new Timesteps.PerToken(new double[][] {{0.4, 0.4}, {0.7, 0.7}}),
                model.encode(List.of("", "1")));
        assertArrayEquals(a[0], b[0]);
        assertArrayEquals(a[1], b[1]);
    }

    @Test
    void perTokenTimesTreatEachCoordinateAtItsOwnTimeWithinOneComponent() {
        // With one component the coordinates are independent, so coordinate j only depends on t_j.
        GmmSpec one = new GmmSpec(new double[] {1}, new double[][] {{1.0, -2.0}}, new double[] {0.5});
        GmmFlowModel model = new GmmFlowModel(one);
        float[][] x = {{0.3f, 0.9f}};
        float[] mixed = model.velocity(x, new Timesteps.PerToken(new double[][] {{0.2, 0.8}}), model.encode(List.of("")))[0];
        float[] at02 = model.velocity(x, new Timesteps.PerSample(new double[] {0.2}), model.encode(List.of("")))[0];
        float[] at08 = model.velocity(x, new Timesteps.PerSample(new double[] {0.8}), model.encode(List.of("")))[0];
        assertEquals(at02[0], mixed[0], 1e-6);
        assertEquals(at08[1], mixed[1], 1e-6);
    }

    @Test
    void promptsOutsideTheComponentsAreRejected() {
        GmmFlowModel model = new GmmFlowModel(SPEC);
        assertTrue(assertThrows(IllegalArgumentException.class, () -> model.encode(List.of("2"))).getMessage()
                .contains("out of range"));
        assertTrue(assertThrows(IllegalArgumentException.class, () -> model.encode(List.of("cat"))).getMessage()
                .contains("component index"));
    }
}
