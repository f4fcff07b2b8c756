package dev.asyncdiff.nn;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.GradientCollector;
import org.junit.jupiter.api.Test;

import java.util.SplittableRandom;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

/**
 * Arrays made from Java data own their memory, refills copy in place, and the scalar operations keep their number
 * alive for backward: checked while {@link CollectionStorm} collects and refills freed memory between forward and
 * backward, against closed forms.
 */
class NativeDataTest {
    private static float[] random(int n, long seed) {
        SplittableRandom r = new SplittableRandom(seed);
        float[] out = new float[n];
        for (int i = 0; i < n; i++) {
            out[i] = (float) (r.nextDouble() * 4 - 2);
        }
        return out;
    }

    /** Forward, then collections and refills while the graph waits, then backward: the gradient of x. */
    private static float[] gradientAfterCollections(NDManager m, float[] x0,
                                                    java.util.function.UnaryOperator<NDArray> f)
            throws InterruptedException {
        NDArray x = NativeData.of(m, x0, new Shape(x0.length));
        x.setRequiresGradient(true);
        try (GradientCollector gc = Engine.getInstance().newGradientCollector()) {
            NDArray y = f.apply(x).sum();
            for (int i = 0; i < 3; i++) {
                System.gc();
                Thread.sleep(10);
            }
            gc.backward(y);
        }
        return x.getGradient().toFloatArray();
    }

    @Test
    void aViewOfAnArrayMadeFromJavaDataOutlivesItsWrapper() throws InterruptedException {
        float[] data = random(4096, 1);
        try (NDManager m = NDManager.newBaseManager(); CollectionStorm ignored = new CollectionStorm()) {
            for (int round = 0; round < 20; round++) {
                NDArray made = NativeData.of(m, data, new Shape(64, 64));
                NDArray view = made.reshape(4096);
                made.close();
                System.gc();
                Thread.sleep(10);
                refill(data.length * 4);
                assertArrayEquals(data, view.toFloatArray(), "round " + round);
            }
        }
    }

    /** Allocates direct buffers of {@code bytes} filled with 1e30, where freed memory of that size would be reused. */
    private static void refill(int bytes) {
        for (int i = 0; i < 8; i++) {
            java.nio.ByteBuffer b = java.nio.ByteBuffer.allocateDirect(bytes);
            while (b.remaining() >= 4) {
                b.putFloat(1e30f);
            }
        }
    }

    @Test
    void copyIntoRefillsInPlaceSoThatViewsSeeTheNewValues() {
        try (NDManager m = NDManager.newBaseManager()) {
            NDArray target = m.zeros(new Shape(3, 4));
            NDArray view = target.reshape(12);
            float[] data = random(12, 2);
            NativeData.copyInto(target, data);
            assertArrayEquals(data, target.toFloatArray());
            // NDArray.set would point target at a new buffer and leave the view on the old zeros
            assertArrayEquals(data, view.toFloatArray());
            assertThrows(IllegalArgumentException.class, () -> NativeData.copyInto(target, new float[11]));
        }
    }

    @Test
    void scalarOperationsDifferentiateToTheirClosedFormsAfterCollections() throws InterruptedException {
        float[] x0 = random(256, 3);
        try (NDManager m = NDManager.newBaseManager(); CollectionStorm ignored = new CollectionStorm()) {
            for (int round = 0; round < 10; round++) {
                float s = 0.25f + round;
                float[] scaled = gradientAfterCollections(m, x0, x -> Ops.scaled(x, s));
                float[] divided = gradientAfterCollections(m, x0, x -> Ops.divided(x, s));
                float[] atMost = gradientAfterCollections(m, x0, x -> Ops.atMost(x, 0.5f));
                float[] atLeast = gradientAfterCollections(m, x0, x -> Ops.atLeast(x, -0.5f));
                for (int i = 0; i < x0.length; i++) {
                    assertEquals(s, scaled[i], 0f, "d(s·x)/dx, round " + round);
                    assertEquals(1 / s, divided[i], 1e-7f * (1 / s), "d(x/s)/dx, round " + round);
                    assertEquals(x0[i] < 0.5f ? 1f : 0f, atMost[i], 0f, "d min(x, 0.5)/dx at " + x0[i]);
                    assertEquals(x0[i] > -0.5f ? 1f : 0f, atLeast[i], 0f, "d max(x, -0.5)/dx at " + x0[i]);
                }
            }
        }
    }

    @Test
    void attentionGradientsAreTheSameWithAndWithoutCollections() throws InterruptedException {
        float[] q = random(2 * 2 * 8 * 4, 4);
        float[] k = random(2 * 2 * 6 * 4, 5);
        float[] v = random(2 * 2 * 6 * 4, 6);
        try (NDManager m = NDManager.newBaseManager()) {
            float[] quiet = attentionGradient(m, q, k, v, false);
            try (CollectionStorm ignored = new CollectionStorm()) {
                for (int round = 0; round < 10; round++) {
                    assertArrayEquals(quiet, attentionGradient(m, q, k, v, true), "round " + round);
                }
            }
            // and the quiet gradient is the one of softmax(s·q·kᵀ)·v: s·q is the same as q with s folded in
            float[] folded = q.clone();
            for (int i = 0; i < folded.length; i++) {
                folded[i] *= 0.3f;
            }
            assertArrayEquals(attentionValues(m, folded, k, v, 1f), attentionValues(m, q, k, v, 0.3f), 1e-5f,
                    "softmax(0.3·q·kᵀ)·v against the queries pre-scaled");
        }
    }

    private static float[] attentionValues(NDManager m, float[] q, float[] k, float[] v, float scale) {
        return Ops.attention(NativeData.of(m, q, new Shape(2, 2, 8, 4)), NativeData.of(m, k, new Shape(2, 2, 6, 4)),
                NativeData.of(m, v, new Shape(2, 2, 6, 4)), null, scale)[0].toFloatArray();
    }

    private static float[] attentionGradient(NDManager m, float[] q0, float[] k, float[] v, boolean pause)
            throws InterruptedException {
        NDArray q = NativeData.of(m, q0, new Shape(2, 2, 8, 4));
        q.setRequiresGradient(true);
        try (GradientCollector gc = Engine.getInstance().newGradientCollector()) {
            NDArray out = Ops.attention(q, NativeData.of(m, k, new Shape(2, 2, 6, 4)),
                    NativeData.of(m, v, new Shape(2, 2, 6, 4)), null, 0.3f)[0];
            NDArray loss = out.square().sum();
            if (pause) {
                System.gc();
                Thread.sleep(20);
            }
            gc.backward(loss);
        }
        return q.getGradient().toFloatArray();
    }
}
