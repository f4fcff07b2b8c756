package dev.asyncdiff.model.sd3;

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
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The Java MMDiT agrees with bench/reference/sd3.py, an independent PyTorch implementation, on a small random
 * SD3.5-style configuration stored under the real key names: dual attention in two of three layers, q/k RMSNorm, a
 * non-square latent cropped off-centre from the position table, the context-pre-only last block, per-sample and
 * per-token timesteps, and the image→text attention maps. Needs Debian's python3-torch (CI installs it).
 */
class Sd3ParityTest {
    static final double TARGET = 1e-4;
    static final String SCRIPT = "sd3.py";
    static final String CONFIG = """
            {"_class_name": "SD3Transformer2DModel", "attention_head_dim": 16, "caption_projection_dim": 32,
             "dual_attention_layers": [0, 1], "in_channels": 4, "joint_attention_dim": 24, "num_attention_heads": 2,
             "num_layers": 3, "out_channels": 4, "patch_size": 2, "pooled_projection_dim": 20,
             "pos_embed_max_size": 6, "qk_norm": "rms_norm", "sample_size": 12}""";
    static final long[] X = {2, 4, 8, 6};
    static final long[] CONTEXT = {2, 5, 24};
    static final long[] POOLED = {2, 20};
    static final float[] T = {700f, 200f};
    /** Image tokens of the latent: (8 / 2) · (6 / 2). */
    static final int TOKENS = 12;

    @TempDir
    static Path tmp;
    static RandomCheckpoint checkpoint;
    static Map<String, Safetensors.Tensor> inputs;
    static Map<String, Safetensors.Tensor> perTokenInputs;

    @BeforeAll
    static void randomWeightsAndInputs() throws IOException {
        SplittableRandom r = new SplittableRandom(17);
        checkpoint = RandomCheckpoint.of(Architecture.SD3_TRANSFORMER, CONFIG, tmp, r);
        inputs = new LinkedHashMap<>();
        inputs.put("x", tensor(X, gaussian(r, X, 1)));
        inputs.put("t", new Safetensors.Tensor(new int[] {2}, T));
        inputs.put("context", tensor(CONTEXT, gaussian(r, CONTEXT, 1)));
        inputs.put("pooled", tensor(POOLED, gaussian(r, POOLED, 1)));
        float[] map = new float[2 * TOKENS];
        for (int i = 0; i < map.length; i++) {
            map[i] = (float) (1000 * r.nextDouble());
        }
        perTokenInputs = withTimesteps(new Safetensors.Tensor(new int[] {2, TOKENS}, map));
    }

    static Map<String, Safetensors.Tensor> withTimesteps(Safetensors.Tensor t) {
        Map<String, Safetensors.Tensor> in = new LinkedHashMap<>(inputs);
        in.put("t", t);
        return in;
    }

    static Path folder(String name, Map<String, float[]> values, String dtype) throws IOException {
        return checkpoint.folder(tmp.resolve(name), values, dtype);
    }

    /** The reference's velocity and attention maps on these inputs, for the weights in {@code weightsDir}. */
    static Map<String, Safetensors.Tensor> reference(Path weightsDir, Map<String, Safetensors.Tensor> in)
            throws IOException, InterruptedException {
        return ReferenceScript.run(SCRIPT, weightsDir, in);
    }

    static float[] java(Path weightsDir, Map<String, Safetensors.Tensor> in) {
        try (Sd3Transformer model = Sd3Transformer.load(weightsDir); NDManager m = NDManager.newBaseManager()) {
            NDArray v = model.velocity(array(m, in.get("x")), array(m, in.get("t")), array(m, in.get("context")),
                    array(m, in.get("pooled")));
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
    void readingTheFinalNormShiftBeforeScaleMissesTheReference() throws Exception {
        // Swapping the two halves of norm_out.linear is what chunking (shift, scale) instead of (scale, shift) does.
        Map<String, float[]> swapped = new LinkedHashMap<>(checkpoint.weights());
        for (String key : List.of("norm_out.linear.weight", "norm_out.linear.bias")) {
            float[] v = checkpoint.weights().get(key);
            float[] s = new float[v.length];
            System.arraycopy(v, v.length / 2, s, 0, v.length / 2);
            System.arraycopy(v, 0, s, v.length / 2, v.length / 2);
            swapped.put(key, s);
        }
        float[] ref = reference(folder("f32-reference", checkpoint.weights(), "F32"), inputs).get("v").data();
        Discrepancy d = Discrepancy.between(java(folder("swapped", swapped, "F32"), inputs), ref);
        assertTrue(d.maxRel() > 100 * TARGET, d.toString());
    }

    @Test
    void perTokenTimestepsMatchTheReference() throws Exception {
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
        Discrepancy d = Discrepancy.between(java(dir, withTimesteps(new Safetensors.Tensor(new int[] {2, TOKENS},
                map))), java(dir, inputs));
        assertTrue(d.maxRel() <= 1e-6, d.toString());
    }

    @Test
    void imageToTextAttentionMatchesTheReferenceBlockByBlock() throws Exception {
        Path dir = folder("attention", checkpoint.weights(), "F32");
        Safetensors.Tensor ref = reference(dir, perTokenInputs).get("attention");
        float[][][][] maps;
        try (Sd3Transformer model = Sd3Transformer.load(dir); NDManager m = NDManager.newBaseManager()) {
            maps = model.imageTextAttention(array(m, perTokenInputs.get("x")), array(m, perTokenInputs.get("t")),
                    array(m, perTokenInputs.get("context")), array(m, perTokenInputs.get("pooled")));
        }
        assertEquals(List.of(3, 2, TOKENS, (int) CONTEXT[1]), List.of(maps.length, maps[0].length,
                maps[0][0].length, maps[0][0][0].length));
        Discrepancy d = Discrepancy.between(ReferenceScript.flatten(maps), ref.data());
        assertTrue(d.maxRel() <= TARGET, d.toString());
    }
}
