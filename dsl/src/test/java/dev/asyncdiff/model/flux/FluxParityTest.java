package dev.asyncdiff.model.flux;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import dev.asyncdiff.io.Safetensors;
import dev.asyncdiff.model.checkpoint.Architecture;
import dev.asyncdiff.model.checkpoint.RandomCheckpoint;
import dev.asyncdiff.model.checkpoint.TransformerParity;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;

import static dev.asyncdiff.model.checkpoint.RandomCheckpoint.array;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The Java Flux transformer agrees with bench/reference/flux.py, an independent PyTorch implementation, on a small
 * random guidance-distilled configuration stored under the real key names: 2 double-stream and 2 single-stream
 * blocks, width 64 (4 heads × 16, RoPE axes 4 + 6 + 6), a non-square latent of 6 × 4 packed tokens, per-sample and
 * per-token times, and the image→text attention maps. Needs Debian's python3-torch (CI installs it).
 */
class FluxParityTest {
    static final String CONFIG = """
            {"_class_name": "FluxTransformer2DModel", "attention_head_dim": 16, "axes_dims_rope": [4, 6, 6],
             "guidance_embeds": true, "in_channels": 16, "joint_attention_dim": 24, "num_attention_heads": 4,
             "num_layers": 2, "num_single_layers": 2, "patch_size": 1, "pooled_projection_dim": 20}""";
    static final int HEAD_DIM = 16;
    static final long[] X = {2, 4, 12, 8};
    static final long[] CONTEXT = {2, 5, 24};
    static final long[] POOLED = {2, 20};
    static final float[] T = {0.7f, 0.2f};
    static final float[] GUIDANCE = {3.5f, 2f};
    /** Packed image tokens of the latent: (12 / 2) · (8 / 2). */
    static final int TOKENS = 24;

    @TempDir
    static Path tmp;
    static TransformerParity parity;
    static Map<String, Safetensors.Tensor> inputs;
    static Map<String, Safetensors.Tensor> perTokenInputs;

    @BeforeAll
    static void randomWeightsAndInputs() throws IOException {
        SplittableRandom r = new SplittableRandom(23);
        parity = new TransformerParity(RandomCheckpoint.of(Architecture.FLUX_TRANSFORMER, CONFIG, tmp, r), tmp,
                "flux.py", new Java());
        inputs = TransformerParity.inputs(r, X, T, CONTEXT, POOLED);
        inputs.put("guidance", new Safetensors.Tensor(new int[] {2}, GUIDANCE));
        perTokenInputs = TransformerParity.withRandomMap(inputs, TOKENS, 1, r);
    }

    static final class Java implements TransformerParity.Forward {
        @Override
        public float[] velocity(Path weights, Map<String, Safetensors.Tensor> in) {
            try (FluxTransformer model = FluxTransformer.load(weights); NDManager m = NDManager.newBaseManager()) {
                NDArray v = model.velocity(array(m, in.get("x")), array(m, in.get("t")),
                        array(m, in.get("guidance")), array(m, in.get("context")), array(m, in.get("pooled")));
                assertEquals(new Shape(X), v.getShape());
                return v.toFloatArray();
            }
        }

        @Override
        public float[][][][] imageTextAttention(Path weights, Map<String, Safetensors.Tensor> in) {
            try (FluxTransformer model = FluxTransformer.load(weights); NDManager m = NDManager.newBaseManager()) {
                return model.imageTextAttention(array(m, in.get("x")), array(m, in.get("t")),
                        array(m, in.get("guidance")), array(m, in.get("context")), array(m, in.get("pooled")));
            }
        }
    }

    @Test
    void f32WeightsMatchTheReference() throws Exception {
        parity.assertParity("F32", inputs);
    }

    @Test
    void bf16WeightsWidenedInJavaMatchTheReferenceReadingBf16() throws Exception {
        parity.assertParity("BF16", inputs);
    }

    @Test
    void perTokenTimesMatchTheReference() throws Exception {
        parity.assertPerTokenParity(perTokenInputs, inputs);
    }

    @Test
    void aConstantTokenMapGivesThePerSampleVelocity() throws Exception {
        parity.assertConstantMapIsPerSample(inputs, TOKENS);
    }

    @Test
    void imageToTextAttentionMatchesTheReferenceBlockByBlock() throws Exception {
        parity.assertAttentionParity(perTokenInputs, List.of(4, 2, TOKENS, (int) CONTEXT[1]));
    }

    /**
     * Rotating half-split pairs (x_j, x_{j+d/2}) instead of interleaved ones (x_{2j}, x_{2j+1}) is what the
     * interleaved rotation does to queries and keys whose channels are reordered j → 2j, j + d/2 → 2j + 1 within
     * each head; reordering the q and k projections (and their RMSNorm scales) so leaves attention scores otherwise
     * unchanged, so Java on reordered weights is Java with the wrong layout (checked once against flux.py with a
     * half-split rotation: they agree to 5.5e-6).
     */
    @Test
    void rotatingHalfSplitPairsMissesTheReference() throws Exception {
        Map<String, float[]> weights = parity.checkpoint().weights();
        Map<String, float[]> halfSplit = new LinkedHashMap<>(weights);
        for (Map.Entry<String, float[]> e : weights.entrySet()) {
            String k = e.getKey();
            if (k.matches(".*\\.attn\\.(to_q|to_k|add_q_proj|add_k_proj|norm_q|norm_k|norm_added_q|norm_added_k)"
                    + "\\.(weight|bias)")) {
                long[] shape = parity.checkpoint().shapes().get(k);
                halfSplit.put(k, interleaveHalves(e.getValue(), shape.length == 2 ? (int) shape[1] : 1));
            }
        }
        parity.assertMisses("rope-half-split", halfSplit, inputs);
    }

    /** Rows (of {@code rowLength} values) reordered within each head: new row 2j ← j, 2j + 1 ← j + d/2. */
    static float[] interleaveHalves(float[] v, int rowLength) {
        float[] out = new float[v.length];
        int half = HEAD_DIM / 2;
        for (int row = 0; row < v.length / rowLength; row++) {
            int head = row / HEAD_DIM;
            int j = row % HEAD_DIM;
            int from = head * HEAD_DIM + (j % 2 == 0 ? j / 2 : half + j / 2);
            System.arraycopy(v, from * rowLength, out, row * rowLength, rowLength);
        }
        return out;
    }

    @Test
    void aGuidanceDistilledModelRefusesToRunWithoutAGuidanceScale() throws Exception {
        Path dir = parity.folder("no-guidance", parity.checkpoint().weights(), "F32");
        try (FluxTransformer model = FluxTransformer.load(dir); NDManager m = NDManager.newBaseManager()) {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> model.velocity(
                    array(m, inputs.get("x")), array(m, inputs.get("t")), null, array(m, inputs.get("context")),
                    array(m, inputs.get("pooled"))));
            assertTrue(e.getMessage().contains("guidance-distilled"), e.getMessage());
        }
    }
}
