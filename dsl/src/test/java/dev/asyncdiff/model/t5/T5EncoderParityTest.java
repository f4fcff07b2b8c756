package dev.asyncdiff.model.t5;

import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import dev.asyncdiff.bench.Discrepancy;
import dev.asyncdiff.io.Safetensors;
import dev.asyncdiff.model.checkpoint.Architecture;
import dev.asyncdiff.model.checkpoint.FakeCheckpoints;
import dev.asyncdiff.model.checkpoint.RandomCheckpoint;
import dev.asyncdiff.model.checkpoint.ReferenceScript;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.SplittableRandom;

import static dev.asyncdiff.model.checkpoint.TransformerParity.TARGET;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The Java T5 encoder agrees with bench/reference/t5.py, an independent PyTorch implementation, on a small
 * random T5 v1.1 configuration stored under the real key names: 40 tokens, so with a maximum distance of 20 the
 * relative positions reach the exact, the log-spaced and the capped buckets on both sides; F32, BF16 and F16 weights.
 */
class T5EncoderParityTest {
    static final String CONFIG = """
            {"architectures": ["T5EncoderModel"], "d_ff": 48, "d_kv": 8, "d_model": 32,
             "feed_forward_proj": "gated-gelu", "is_gated_act": true, "layer_norm_epsilon": 1e-06,
             "model_type": "t5", "num_heads": 4, "num_layers": 3, "relative_attention_max_distance": 20,
             "relative_attention_num_buckets": 32, "vocab_size": 64}""";
    static final int TOKENS = 40;
    static final String TABLE = "encoder.block.0.layer.0.SelfAttention.relative_attention_bias.weight";

    @TempDir
    static Path tmp;
    static RandomCheckpoint weights;
    static Map<String, Safetensors.Tensor> inputs;

    @BeforeAll
    static void randomWeightsAndIds() throws IOException {
        SplittableRandom r = new SplittableRandom(53);
        weights = RandomCheckpoint.of(Architecture.T5_ENCODER, CONFIG, tmp, r);
        float[][] ids = new float[2][TOKENS];
        for (float[] row : ids) {
            for (int i = 0; i < TOKENS; i++) {
                row[i] = r.nextInt(64);
            }
        }
        inputs = Map.of("ids", Safetensors.stack(ids, new int[] {TOKENS}));
    }

    static float[] java(Path dir) {
        try (T5Encoder t5 = T5Encoder.open(dir); NDManager m = NDManager.newBaseManager()) {
            return t5.encode(RandomCheckpoint.array(m, inputs.get("ids")).toType(DataType.INT64, false))
                    .toFloatArray();
        }
    }

    static float[] reference(Path dir) throws Exception {
        return ReferenceScript.run("t5.py", dir, inputs).get("hidden").data();
    }

    @Test
    void f32WeightsMatchTheReference() throws Exception {
        Path dir = weights.folder(tmp.resolve("f32"), weights.weights(), "F32");
        float[] ref = reference(dir);
        ReferenceScript.assertWithinTarget("hidden", java(dir), ref);
        assertTrue(Discrepancy.between(new float[ref.length], ref).maxRel() > 0.5, "the states must not vanish");
    }

    @Test
    void bf16WeightsWidenedInJavaMatchTheReferenceReadingBf16() throws Exception {
        Path dir = weights.folder(tmp.resolve("bf16"), weights.weights(), "BF16");
        ReferenceScript.assertWithinTarget("hidden", java(dir), reference(dir));
    }

    @Test
    void f16WeightsAreWidenedOnTheCpuAndGiveTheF32ResultOfTheirValuesBitForBit() throws Exception {
        Path f16 = weights.folder(tmp.resolve("f16"), weights.weights(), "F16");
        Path asF32 = weights.folder(tmp.resolve("f16-values-in-f32"), FakeCheckpoints.f16(weights.weights()), "F32");
        float[] fromF16 = java(f16);
        assertArrayEquals(java(asF32), fromF16);
        ReferenceScript.assertWithinTarget("hidden", fromF16, reference(f16));
    }

    @Test
    void readingRelativePositionsAsQueryMinusKeyMissesTheReference() throws Exception {
        // Swapping the table's halves gives keys after the query the biases of keys before it, and the reverse.
        float[] table = weights.weights().get(TABLE);
        float[] swapped = new float[table.length];
        int half = table.length / 2;
        System.arraycopy(table, half, swapped, 0, half);
        System.arraycopy(table, 0, swapped, half, half);
        float[] ref = reference(weights.folder(tmp.resolve("table"), weights.weights(), "F32"));
        Map<String, float[]> altered = new LinkedHashMap<>(weights.weights());
        altered.put(TABLE, swapped);
        Path dir = weights.folder(tmp.resolve("swapped"), altered, "F32");
        Discrepancy d = Discrepancy.between(java(dir), ref);
        assertTrue(d.maxRel() > 100 * TARGET, d.toString());
    }
}
