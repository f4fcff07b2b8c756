package dev.asyncdiff.nn;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.NDScope;
import ai.djl.training.GradientCollector;
import org.junit.jupiter.api.Test;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The optimizer: Adam's first step against its closed form, and a non-finite gradient that must not poison it,
 * neither its state nor the memory behind the parameters' gradients.
 */
class AdamTest {
    private static final float LR = 0.1f;

    private static Params oneParameter(NDManager m, float... values) {
        Map<String, NDArray> p = new LinkedHashMap<>();
        p.put("w", m.create(values));
        Params params = Params.of(p);
        params.requireGradients();
        return params;
    }

    private static void backward(NDArray w, float scale) {
        try (GradientCollector gc = Engine.getInstance().newGradientCollector()) {
            gc.backward(w.square().sum().mul(scale));
        }
    }

    @Test
    void theFirstStepMovesEachWeightByTheLearningRateAgainstItsGradientSign() {
        try (NDManager m = NDManager.newBaseManager()) {
            Params p = oneParameter(m, 1f, -2f);
            Adam adam = new Adam(m, p, 0.999f);
            backward(p.get("w"), 0.01f);
            double norm = adam.update(LR, 100);
            // gradient 2·0.01·w; Adam's first step is lr·g/(|g| + eps) ≈ lr·sign(g)
            assertEquals(Math.sqrt(0.02 * 0.02 + 0.04 * 0.04), norm, 1e-6);
            assertArrayEquals(new float[] {1f - LR, -2f + LR}, p.get("w").toFloatArray(), 1e-5f);
            assertEquals(1, adam.step());
        }
    }

    @Test
    void aNonFiniteGradientSkipsTheUpdateAndTheNextFiniteOneProceedsAsIfItHadNotHappened() {
        try (NDManager m = NDManager.newBaseManager()) {
            Params p = oneParameter(m, 1f, -2f);
            Adam adam = new Adam(m, p, 0.999f);
            backward(p.get("w"), Float.NaN);
            double bad = adam.update(LR, 1.0);
            assertFalse(Double.isFinite(bad));
            assertEquals(0, adam.step(), "a skipped update does not count as a step");
            assertArrayEquals(new float[] {1f, -2f}, p.get("w").toFloatArray());
            assertArrayEquals(new float[] {0f, 0f}, p.get("w").getGradient().toFloatArray(),
                    "the poisoned gradient is cleared");

            backward(p.get("w"), 0.01f);
            assertTrue(Double.isFinite(adam.update(LR, 100)));
            assertArrayEquals(new float[] {1f - LR, -2f + LR}, p.get("w").toFloatArray(), 1e-5f);
            float d = 2f / 11f; // the average's warm-up decay at step 1, (1 + step) / (10 + step)
            assertArrayEquals(new float[] {d * 1f + (1 - d) * (1f - LR), d * -2f + (1 - d) * (-2f + LR)},
                    adam.average().get("w").toFloatArray(), 1e-5f);
        }
    }

    @Test
    void aNormAboveTheGivenLimitSkipsTheUpdateLikeANonFiniteOne() {
        try (NDManager m = NDManager.newBaseManager()) {
            Params p = oneParameter(m, 1f, -2f);
            Adam adam = new Adam(m, p, 0.999f);
            backward(p.get("w"), 0.01f);
            double expected = Math.sqrt(0.02 * 0.02 + 0.04 * 0.04);
            assertEquals(expected, adam.update(LR, 100, 0.04), 1e-6, "the norm is returned");
            assertEquals(0, adam.step());
            assertArrayEquals(new float[] {1f, -2f}, p.get("w").toFloatArray());
            assertArrayEquals(new float[] {0f, 0f}, p.get("w").getGradient().toFloatArray());

            backward(p.get("w"), 0.01f);
            assertEquals(expected, adam.update(LR, 100, 0.05), 1e-6);
            assertArrayEquals(new float[] {1f - LR, -2f + LR}, p.get("w").toFloatArray(), 1e-5f);
        }
    }

    @Test
    void aSkippedUpdateLeavesEveryGradientInMemoryThatOutlivesTheStep() throws InterruptedException {
        int n = 64;
        float[] ones = new float[n];
        Arrays.fill(ones, 1f);
        try (NDManager m = NDManager.newBaseManager()) {
            Params p = oneParameter(m, ones);
            Adam adam = new Adam(m, p, 0.999f);
            for (int round = 0; round < 3; round++) {
                try (NDScope ignored = new NDScope()) {
                    backward(p.get("w"), Float.NaN);
                    assertFalse(Double.isFinite(adam.update(LR, 1.0)));
                }
                List<ByteBuffer> probes = reuseFreedDirectMemory(4 * n, 1e30f);
                try (NDScope ignored = new NDScope()) {
                    float[] expected = p.get("w").toFloatArray(); // gradient 2·0.5·w, accumulated onto the cleared one
                    backward(p.get("w"), 0.5f);
                    float[] g = p.get("w").getGradient().toFloatArray();
                    assertArrayEquals(expected, g, "round " + round + ": the gradient lives in memory that was "
                            + "freed and handed out again (" + probes.size() + " probe buffers)");
                    assertTrue(Double.isFinite(adam.update(LR, 1.0)));
                }
            }
        }
    }

    /**
     * Lets the garbage collector free unreachable direct buffers, then takes blocks of the same size back from the
     * allocator, filled with a marker: memory still used through a dangling pointer then reads as the marker.
     */
    private static List<ByteBuffer> reuseFreedDirectMemory(int bytes, float marker) throws InterruptedException {
        List<ByteBuffer> probes = new ArrayList<>();
        for (int round = 0; round < 10; round++) {
            System.gc();
            Thread.sleep(20);
            for (int i = 0; i < 50; i++) {
                ByteBuffer b = ByteBuffer.allocateDirect(bytes).order(ByteOrder.nativeOrder());
                while (b.remaining() >= 4) {
                    b.putFloat(marker);
                }
                probes.add(b);
            }
        }
        return probes;
    }
}
