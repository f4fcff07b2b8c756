package dev.asyncdiff.model.flux;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import dev.asyncdiff.bench.Discrepancy;
import dev.asyncdiff.io.Safetensors;
import dev.asyncdiff.model.checkpoint.Architecture;
import dev.asyncdiff.model.checkpoint.RandomCheckpoint;
import dev.asyncdiff.model.checkpoint.ReferenceScript;
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
import static dev.asyncdiff.model.checkpoint.RandomCheckpoint.gaussian;
import static dev.asyncdiff.model.checkpoint.RandomCheckpoint.tensor;
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
    static final double TARGET = 1e-4;
    static final String SCRIPT = "flux.py";
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
    static RandomCheckpoint checkpoint;
    static Map<String, Safetensors.Tensor> inputs;
    static Map<String, Safetensors.Tensor> perTokenInputs;

    @BeforeAll
    static void randomWeightsAndInputs() throws IOException {
        SplittableRandom r = new SplittableRandom(23);
        checkpoint = RandomCheckpoint.of(Architecture.FLUX_TRANSFORMER, CONFIG, tmp, r);
        inputs = new LinkedHashMap<>();
        inputs.put("x", tensor(X, gaussian(r, X, 1)));
        inputs.put("t", new Safetensors.Tensor(new int[] {2}, T));
        inputs.put("guidance", new Safetensors.Tensor(new int[] {2}, GUIDANCE));
        inputs.put("context", tensor(CONTEXT, gaussian(r, CONTEXT, 1)));
        inputs.put("pooled", tensor(POOLED, gaussian(r, POOLED, 1)));
        float[] map = new float[2 * TOKENS];
        for (int i = 0; i < map.length; i++) {
            map[i] = (float) r.nextDouble();
        }
        perTokenInputs = withTimes(new Safetensors.Tensor(new int[] {2, TOKENS}, map));
    }

    static Map<String, Safetensors.Tensor> withTimes(Safetensors.Tensor t) {
        Map<String, Safetensors.Tensor> in = new LinkedHashMap<>(inputs);
        in.put("t", t);
        return in;
    }

    static Path folder(String name, Map<String, float[]> values, String dtype) throws IOException {
        return checkpoint.folder(tmp.resolve(name), values, dtype);
    }

    static Map<String, Safetensors.Tensor> reference(Path weightsDir, Map<String, Safetensors.Tensor> in)
            throws IOException, InterruptedException {
        return ReferenceScript.run(SCRIPT, weightsDir, in);
    }

    static float[] java(Path weightsDir, Map<String, Safetensors.Tensor> in) {
        try (FluxTransformer model = FluxTransformer.load(weightsDir); NDManager m = NDManager.newBaseManager()) {
            NDArray v = model.velocity(array(m, in.get("x")), array(m, in.get("t")), array(m, in.get("guidance")),
                    array(m, in.get("context")), array(m, in.get("pooled")));
            assertEquals(new Shape(X), v.getShape());
            return v.toFloatArray();
        }
    }

    /** Asserts that Java and the reference agree on these weights and inputs; returns the reference's velocity. */
    static float[] assertParity(Path dir, Map<String, Safetensors.Tensor> in) throws Exception {
        float[] ref = reference(dir, in).get("v").data();
        Discrepancy d = Discrepancy.between(java(dir, in), ref);
        assertTrue(d.maxRel() <= TARGET, d.toString());
        return ref;
    }

    @Test
    void f32WeightsMatchTheReference() throws Exception {
        float[] ref = assertParity(folder("f32", checkpoint.weights(), "F32"), inputs);
        assertTrue(Discrepancy.between(new float[ref.length], ref).maxRel() > 0.5, "the velocity must not vanish");
    }

    @Test
    void bf16WeightsWidenedInJavaMatchTheReferenceReadingBf16() throws Exception {
        assertParity(folder("bf16", checkpoint.weights(), "BF16"), inputs);
    }

    @Test
    void perTokenTimesMatchTheReference() throws Exception {
        Path dir = folder("per-token", checkpoint.weights(), "F32");
        float[] ref = assertParity(dir, perTokenInputs);
        // The map must matter: it moves the velocity away from that at the per-sample times.
        assertTrue(Discrepancy.between(java(dir, inputs), ref).maxRel() > 100 * TARGET);
    }

    @Test
    void aConstantTokenMapGivesThePerSampleVelocity() throws Exception {
        Path dir = folder("constant-map", checkpoint.weights(), "F32");
        float[] map = new float[2 * TOKENS];
        for (int i = 0; i < map.length; i++) {
            map[i] = T[i / TOKENS];
        }
        Discrepancy d = Discrepancy.between(java(dir, withTimes(new Safetensors.Tensor(new int[] {2, TOKENS}, map))),
                java(dir, inputs));
        assertTrue(d.maxRel() <= 1e-6, d.toString());
    }

    @Test
    void imageToTextAttentionMatchesTheReferenceBlockByBlock() throws Exception {
        Path dir = folder("attention", checkpoint.weights(), "F32");
        Safetensors.Tensor ref = reference(dir, perTokenInputs).get("attention");
        float[][][][] maps;
        try (FluxTransformer model = FluxTransformer.load(dir); NDManager m = NDManager.newBaseManager()) {
            maps = model.imageTextAttention(array(m, perTokenInputs.get("x")), array(m, perTokenInputs.get("t")),
                    array(m, perTokenInputs.get("guidance")), array(m, perTokenInputs.get("context")),
                    array(m, perTokenInputs.get("pooled")));
        }
        assertEquals(List.of(4, 2, TOKENS, (int) CONTEXT[1]), List.of(maps.length, maps[0].length,
                maps[0][0].length, maps[0][0][0].length));
        Discrepancy d = Discrepancy.between(ReferenceScript.flatten(maps), ref.data());
        assertTrue(d.maxRel() <= TARGET, d.toString());
    }

    /**
     * Rotating half-split pairs (x_j, x_{j+d/2}) instead of interleaved ones (x_{2j}, x_{2j+1}) is what the
     * interleaved rotation does to queries and keys whose channels are reordered j → 2j, j + d/2 → 2j + 1 within each
     * head; reordering the q and k projections (and their RMSNorm scales) so leaves attention scores otherwise
     * unchanged, so Java on reordered weights is Java with the wrong layout.
     */
    @Test
    void rotatingHalfSplitPairsMissesTheReference() throws Exception {
        Map<String, float[]> halfSplit = new LinkedHashMap<>(checkpoint.weights());
        for (Map.Entry<String, float[]> e : checkpoint.weights().entrySet()) {
            String k = e.getKey();
            if (k.matches(".*\\.attn\\.(to_q|to_k|add_q_proj|add_k_proj|norm_q|norm_k|norm_added_q|norm_added_k)"
                    + "\\.(weight|bias)")) {
                long[] shape = checkpoint.shapes().get(k);
                halfSplit.put(k, interleaveHalves(e.getValue(), shape.length == 2 ? (int) shape[1] : 1));
            }
        }
        float[] ref = reference(folder("rope-reference", checkpoint.weights(), "F32"), inputs).get("v").data();
        Discrepancy d = Discrepancy.between(java(folder("rope-half-split", halfSplit, "F32"), inputs), ref);
        assertTrue(d.maxRel() > 100 * TARGET, d.toString());
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
        Path dir = folder("no-guidance", checkpoint.weights(), "F32");
        try (FluxTransformer model = FluxTransformer.load(dir); NDManager m = NDManager.newBaseManager()) {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> model.velocity(
                    array(m, inputs.get("x")), array(m, inputs.get("t")), null, array(m, inputs.get("context")),
                    array(m, inputs.get("pooled"))));
            assertTrue(e.getMessage().contains("guidance-distilled"), e.getMessage());
        }
    }
}
