package dev.asyncdiff.model.sd3;

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

/**
 * The Java MMDiT agrees with bench/reference/sd3.py, an independent PyTorch implementation, on a small random
 * SD3.5-style configuration stored under the real key names: dual attention in two of three layers, q/k RMSNorm, a
 * non-square latent cropped off-centre from the position table, the context-pre-only last block, per-sample and
 * per-token timesteps, and the image→text attention maps. Needs Debian's python3-torch (CI installs it).
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
    static TransformerParity parity;
    static Map<String, Safetensors.Tensor> inputs;
    static Map<String, Safetensors.Tensor> perTokenInputs;

    @BeforeAll
    static void randomWeightsAndInputs() throws IOException {
        SplittableRandom r = new SplittableRandom(17);
        parity = new TransformerParity(RandomCheckpoint.of(Architecture.SD3_TRANSFORMER, CONFIG, tmp, r), tmp,
                "sd3.py", new Java());
        inputs = TransformerParity.inputs(r, X, T, CONTEXT, POOLED);
        perTokenInputs = TransformerParity.withRandomMap(inputs, TOKENS, 1000, r);
    }

    static final class Java implements TransformerParity.Forward {
        @Override
        public float[] velocity(Path weights, Map<String, Safetensors.Tensor> in) {
            try (Sd3Transformer model = Sd3Transformer.load(weights); NDManager m = NDManager.newBaseManager()) {
                NDArray v = model.velocity(array(m, in.get("x")), array(m, in.get("t")), array(m, in.get("context")),
                        array(m, in.get("pooled")));
                assertEquals(new Shape(X), v.getShape());
                return v.toFloatArray();
            }
        }

        @Override
        public float[][][][] imageTextAttention(Path weights, Map<String, Safetensors.Tensor> in) {
            try (Sd3Transformer model = Sd3Transformer.load(weights); NDManager m = NDManager.newBaseManager()) {
                return model.imageTextAttention(array(m, in.get("x")), array(m, in.get("t")),
                        array(m, in.get("context")), array(m, in.get("pooled")));
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
    void readingTheFinalNormShiftBeforeScaleMissesTheReference() throws Exception {
        // Swapping the two halves of norm_out.linear is what chunking (shift, scale) instead of (scale, shift) does.
        Map<String, float[]> weights = parity.checkpoint().weights();
        Map<String, float[]> swapped = new LinkedHashMap<>(weights);
        for (String key : List.of("norm_out.linear.weight", "norm_out.linear.bias")) {
            float[] v = weights.get(key);
            float[] s = new float[v.length];
            System.arraycopy(v, v.length / 2, s, 0, v.length / 2);
            System.arraycopy(v, 0, s, v.length / 2, v.length / 2);
            swapped.put(key, s);
        }
        parity.assertMisses("swapped-final-norm", swapped, inputs);
    }

    @Test
    void perTokenTimestepsMatchTheReference() throws Exception {
        parity.assertPerTokenParity(perTokenInputs, inputs);
    }

    @Test
    void aConstantTokenMapGivesThePerSampleVelocity() throws Exception {
        parity.assertConstantMapIsPerSample(inputs, TOKENS);
    }

    @Test
    void imageToTextAttentionMatchesTheReferenceBlockByBlock() throws Exception {
        parity.assertAttentionParity(perTokenInputs, List.of(3, 2, TOKENS, (int) CONTEXT[1]));
    }
}
