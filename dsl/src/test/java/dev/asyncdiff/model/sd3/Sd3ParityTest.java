package dev.asyncdiff.model.sd3;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import dev.asyncdiff.bench.Discrepancy;
import dev.asyncdiff.io.Safetensors;
import dev.asyncdiff.model.checkpoint.Architecture;
import dev.asyncdiff.model.checkpoint.ReferenceParity;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;

import static dev.asyncdiff.model.checkpoint.ReferenceParity.TARGET;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The Java MMDiT agrees with bench/reference/sd3.py, an independent PyTorch implementation, on a small random
 * SD3.5-style configuration stored under the real key names: dual attention in two of three layers, q/k RMSNorm, a
 * non-square latent cropped off-centre from the position table, the context-pre-only last block, per-sample and
 * per-token timesteps. Needs Debian's python3-torch (CI installs it).
 */
class Sd3ParityTest {
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
    static ReferenceParity.RandomWeights weights;
    static Map<String, Safetensors.Tensor> inputs;
    static Map<String, Safetensors.Tensor> perTokenInputs;

    @BeforeAll
    static void randomWeightsAndInputs() {
        SplittableRandom r = new SplittableRandom(17);
        weights = ReferenceParity.RandomWeights.of(Architecture.SD3_TRANSFORMER, CONFIG, r);
        inputs = new LinkedHashMap<>();
        inputs.put("x", ReferenceParity.tensor(X, ReferenceParity.gaussian(r, X, 1)));
        inputs.put("t", new Safetensors.Tensor(new int[] {2}, T));
        inputs.put("context", ReferenceParity.tensor(CONTEXT, ReferenceParity.gaussian(r, CONTEXT, 1)));
        inputs.put("pooled", ReferenceParity.tensor(POOLED, ReferenceParity.gaussian(r, POOLED, 1)));
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

    /** A transformer folder holding these weights in this dtype. */
    static Path folder(String name, ReferenceParity.RandomWeights w, String dtype) throws IOException {
        return w.write(tmp.resolve(name), CONFIG, "diffusion_pytorch_model.safetensors", dtype);
    }

    /** The reference's velocity on these inputs, for the weights in {@code weightsDir}. */
    static float[] reference(Path weightsDir, Map<String, Safetensors.Tensor> in) throws Exception {
        return ReferenceParity.reference("sd3.py", weightsDir, in).get("v").data();
    }

    static float[] java(Path weightsDir, Map<String, Safetensors.Tensor> in) {
        try (Sd3Transformer model = Sd3Transformer.load(weightsDir); NDManager m = NDManager.newBaseManager()) {
            NDArray v = model.velocity(ReferenceParity.array(m, in.get("x")), ReferenceParity.array(m, in.get("t")),
                    ReferenceParity.array(m, in.get("context")), ReferenceParity.array(m, in.get("pooled")));
            assertEquals(new Shape(X), v.getShape());
            return v.toFloatArray();
        }
    }

    /** Asserts that Java and the reference agree on these weights and inputs; returns the reference's velocity. */
    static float[] assertParity(Path dir, Map<String, Safetensors.Tensor> in) throws Exception {
        float[] ref = reference(dir, in);
        ReferenceParity.assertWithinTarget("velocity", java(dir, in), ref);
        return ref;
    }

    @Test
    void f32WeightsMatchTheReference() throws Exception {
        float[] ref = assertParity(folder("f32", weights, "F32"), inputs);
        assertTrue(Discrepancy.between(new float[ref.length], ref).maxRel() > 0.5, "the velocity must not vanish");
    }

    @Test
    void bf16WeightsWidenedInJavaMatchTheReferenceReadingBf16() throws Exception {
        assertParity(folder("bf16", weights, "BF16"), inputs);
    }

    @Test
    void readingTheFinalNormShiftBeforeScaleMissesTheReference() throws Exception {
        // Swapping the two halves of norm_out.linear is what chunking (shift, scale) instead of (scale, shift) does.
        ReferenceParity.RandomWeights swapped = weights;
        for (String key : List.of("norm_out.linear.weight", "norm_out.linear.bias")) {
            float[] v = weights.values().get(key);
            float[] s = new float[v.length];
            System.arraycopy(v, v.length / 2, s, 0, v.length / 2);
            System.arraycopy(v, 0, s, v.length / 2, v.length / 2);
            swapped = swapped.with(key, s);
        }
        float[] ref = reference(folder("f32-reference", weights, "F32"), inputs);
        Discrepancy d = Discrepancy.between(java(folder("swapped", swapped, "F32"), inputs), ref);
        assertTrue(d.maxRel() > 100 * TARGET, d.toString());
    }

    @Test
    void perTokenTimestepsMatchTheReference() throws Exception {
        Path dir = folder("per-token", weights, "F32");
        float[] ref = assertParity(dir, perTokenInputs);
        // The map must matter: it moves the velocity away from that at the per-sample times.
        assertTrue(Discrepancy.between(java(dir, inputs), ref).maxRel() > 100 * TARGET);
    }

    @Test
    void aConstantTokenMapGivesThePerSampleVelocity() throws Exception {
        Path dir = folder("constant-map", weights, "F32");
        float[] map = new float[2 * TOKENS];
        for (int i = 0; i < map.length; i++) {
            map[i] = T[i / TOKENS];
        }
        Discrepancy d = Discrepancy.between(java(dir, withTimesteps(new Safetensors.Tensor(new int[] {2, TOKENS},
                map))), java(dir, inputs));
        assertTrue(d.maxRel() <= 1e-6, d.toString());
    }
}
