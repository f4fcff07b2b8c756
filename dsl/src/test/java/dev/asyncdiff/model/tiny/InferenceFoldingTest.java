package dev.asyncdiff.model.tiny;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.pytorch.jni.JniUtils;
import dev.asyncdiff.nn.Params;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

class InferenceFoldingTest {
    private static final List<DiTArchitecture> ARCHITECTURES = List.of(DiTArchitecture.V1, DiTArchitecture.V2);

    /** The folded network computes the unfolded one's velocity and attention, per-sample and per-token times. */
    @Test
    void foldedAndUnfoldedPassesAgree() {
        for (DiTArchitecture arch : ARCHITECTURES) {
            try (NDManager m = NDManager.newBaseManager()) {
                JniUtils.setGradMode(false);
                TinyNetworks nets = RandomTinyModel.networks(m, arch, 7);
                DiT plain = nets.dit;
                DiT folded = plain.folded(m);
                Random r = new Random(3);
                int b = 3;
                int l = TinyNetworks.MAX_TOKENS;
                NDArray x = m.create(gaussian(r, b * DiT.PATCH_DIM * DiT.TOKENS), new Shape(b, 4, 16, 16));
                NDArray tokens = m.create(gaussian(r, b * l * TextEncoder.WIDTH), new Shape(b, l, TextEncoder.WIDTH));
                NDArray pooled = m.create(gaussian(r, b * TextEncoder.WIDTH), new Shape(b, TextEncoder.WIDTH));
                float[] mask = new float[b * l];
                for (int i = 0; i < b; i++) {
                    for (int j = 0; j < 3 + 2 * i; j++) {
                        mask[i * l + j] = 1f;
                    }
                }
                NDArray maskArray = m.create(mask, new Shape(b, l));
                for (NDArray t : List.of(m.create(new float[] {0.9f, 0.5f, 0.1f}, new Shape(b, 1)),
                        m.randomUniform(0f, 1f, new Shape(b, DiT.TOKENS)))) {
                    DiT.Output a = plain.forward(x, t, tokens, pooled, maskArray, true);
                    DiT.Output f = folded.forward(x, t, tokens, pooled, maskArray, true);
                    assertClose(a.velocity().toFloatArray(), f.velocity().toFloatArray(), arch + " velocity");
                    for (int i = 0; i < DiT.DEPTH; i++) {
                        assertClose(a.crossAttention().get(i).toFloatArray(), f.crossAttention().get(i).toFloatArray(),
                                arch + " attention " + i);
                    }
                }
            }
        }
    }

    /** What the fold writes, checked entry by entry; the unfolded weights are left as they were. */
    @Test
    void theFoldAddsOneToScaleChunksAndScalesQueries() {
        try (NDManager m = NDManager.newBaseManager()) {
            TinyNetworks nets = RandomTinyModel.networks(m, DiTArchitecture.V2, 11);
            Params before = nets.dit.params();
            float[] modBefore = before.get("block2.mod.b").toFloatArray();
            float[] qkvBefore = before.get("block2.qkv.w").toFloatArray();
            Params after = nets.dit.folded(m).params();
            float[] mod = after.get("block2.mod.b").toFloatArray();
            int c = DiT.WIDTH;
            for (int chunk = 0; chunk < 6; chunk++) {
                float plus = chunk == 1 || chunk == 4 ? 1f : 0f;
                assertEquals(modBefore[chunk * c + 7] + plus, mod[chunk * c + 7], 0f, "chunk " + chunk);
            }
            float[] qkv = after.get("block2.qkv.w").toFloatArray();
            double s = 1.0 / Math.sqrt(40); // d = 160 / 4 heads
            assertEquals(qkvBefore[5] * s, qkv[5], 1e-7);                       // a query row
            assertEquals(qkvBefore[c * c + 5], qkv[c * c + 5], 0f);             // a key row
            assertArrayEquals(modBefore, nets.dit.params().get("block2.mod.b").toFloatArray(), 0f);
            assertSame(before.get("block2.fc1.w"), after.get("block2.fc1.w")); // untouched weights are shared
            float[] fin = after.get("final.mod.b").toFloatArray();
            float[] finBefore = before.get("final.mod.b").toFloatArray();
            assertEquals(finBefore[c + 3] + 1f, fin[c + 3], 0f);
            assertEquals(finBefore[3], fin[3], 0f);
        }
    }

    private static float[] gaussian(Random r, int n) {
        float[] v = new float[n];
        for (int i = 0; i < n; i++) {
            v[i] = (float) r.nextGaussian();
        }
        return v;
    }

    private static void assertClose(float[] expected, float[] actual, String what) {
        double scale = 0;
        double diff = 0;
        for (int i = 0; i < expected.length; i++) {
            scale = Math.max(scale, Math.abs(expected[i]));
            diff = Math.max(diff, Math.abs(expected[i] - actual[i]));
        }
        assertTrue(scale > 0 && diff <= 1e-5 * scale, what + ": max diff " + diff + " against max " + scale);
    }
}
