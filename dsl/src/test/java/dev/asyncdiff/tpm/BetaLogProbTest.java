package dev.asyncdiff.tpm;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.training.GradientCollector;
import dev.asyncdiff.policy.BetaDistribution;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;

class BetaLogProbTest {
    private static final double[][] CASES = {{0.0, 0.0, 0.5}, {1.2, -0.4, 0.3}, {-2.0, 0.7, 0.9}, {3.0, 2.5, 0.05}};

    @Test
    void theNativeLogDensityEqualsTheDoublePrecisionOne() {
        try (NDManager m = NDManager.newBaseManager()) {
            float[] ab = new float[2 * CASES.length];
            float[] r = new float[CASES.length];
            for (int i = 0; i < CASES.length; i++) {
                ab[2 * i] = (float) CASES[i][0];
                ab[2 * i + 1] = (float) CASES[i][1];
                r[i] = (float) CASES[i][2];
            }
            float[] got = BetaLogProb.of(m.create(ab, new ai.djl.ndarray.types.Shape(CASES.length, 2)),
                    m.create(r)).toFloatArray();
            for (int i = 0; i < CASES.length; i++) {
                double expected = BetaDistribution.fromTpmOutputs(ab[2 * i], ab[2 * i + 1]).logDensity(r[i]);
                assertEquals(expected, got[i], 1e-4 * (1 + Math.abs(expected)), "case " + i);
            }
        }
    }

    @Test
    void itsGradientMatchesFiniteDifferencesOfTheDoubleVersion() {
        try (NDManager m = NDManager.newBaseManager()) {
            for (double[] c : CASES) {
                NDArray ab = m.create(new float[] {(float) c[0], (float) c[1]}, new ai.djl.ndarray.types.Shape(1, 2));
                ab.setRequiresGradient(true);
                try (GradientCollector gc = Engine.getInstance().newGradientCollector()) {
                    NDArray lp = BetaLogProb.of(ab, m.create(new float[] {(float) c[2]})).sum();
                    gc.backward(lp);
                }
                float[] g = ab.getGradient().toFloatArray();
                double h = 1e-5;
                double da = (BetaDistribution.fromTpmOutputs(c[0] + h, c[1]).logDensity(c[2])
                        - BetaDistribution.fromTpmOutputs(c[0] - h, c[1]).logDensity(c[2])) / (2 * h);
                double db = (BetaDistribution.fromTpmOutputs(c[0], c[1] + h).logDensity(c[2])
                        - BetaDistribution.fromTpmOutputs(c[0], c[1] - h).logDensity(c[2])) / (2 * h);
                assertEquals(da, g[0], 1e-3 * (1 + Math.abs(da)), "d/da at " + java.util.Arrays.toString(c));
                assertEquals(db, g[1], 1e-3 * (1 + Math.abs(db)), "d/db at " + java.util.Arrays.toString(c));
            }
        }
    }
}
