package dev.asyncdiff.model.clip;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import dev.asyncdiff.bench.Discrepancy;
import dev.asyncdiff.io.Safetensors;
import dev.asyncdiff.model.checkpoint.Architecture;
import dev.asyncdiff.model.checkpoint.RandomCheckpoint;
import dev.asyncdiff.model.checkpoint.ReferenceScript;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.SplittableRandom;

import static dev.asyncdiff.model.checkpoint.TransformerParity.TARGET;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The Java CLIP text encoders agree with bench/reference/clip.py, an independent PyTorch implementation, on small
 * random configurations stored under the real key names: CLIP-L style (quick GELU, the legacy eos_token_id 2, so
 * pooling at the largest id; with projection as in SD3, without as in Flux), OpenCLIP-bigG style (exact GELU, pooling
 * at the first end-of-text id even where larger ids come before it), F32 and BF16 weights. Every output is compared:
 * the penultimate states SD3 reads, the final states, the pooled and the projected embeddings.
 */
class ClipTextEncoderParityTest {
    static final String CONFIG = """
            {"architectures": ["%s"], "hidden_act": "%s", "hidden_size": 32, "intermediate_size": 64,
             "layer_norm_eps": 1e-05, "max_position_embeddings": 12, "model_type": "clip_text_model",
             "num_attention_heads": 4, "num_hidden_layers": 3, "projection_dim": 24, "vocab_size": 60,
             "eos_token_id": %d}""";
    static final String CLIP_L = CONFIG.formatted("CLIPTextModelWithProjection", "quick_gelu", 2);
    /** Start 58, end 59 (the largest id, as in CLIP's vocabulary), padded with the end token as CLIP-L pads. */
    static final float[][] L_IDS = {{58, 5, 17, 3, 59, 59, 59, 59, 59, 59}, {58, 40, 21, 8, 33, 12, 7, 59, 59, 59}};
    /** End-of-text id 30 with larger ids before it, padded with 0 as OpenCLIP-bigG's tokenizer pads ("!"). */
    static final float[][] G_IDS = {{58, 45, 52, 30, 0, 0, 0, 0, 0, 0}, {58, 31, 9, 57, 44, 30, 0, 0, 0, 0}};

    @TempDir
    Path tmp;

    static Map<String, Safetensors.Tensor> inputs(float[][] ids) {
        Map<String, Safetensors.Tensor> in = new LinkedHashMap<>();
        in.put("ids", Safetensors.stack(ids, new int[] {ids[0].length}));
        return in;
    }

    Path folder(String name, String config, String dtype, long seed) throws IOException {
        Architecture a = config.contains("WithProjection") ? Architecture.CLIP_TEXT_WITH_PROJECTION
                : Architecture.CLIP_TEXT;
        Path dir = tmp.resolve(name);
        RandomCheckpoint checkpoint = RandomCheckpoint.of(a, config, dir, new SplittableRandom(seed));
        return checkpoint.folder(dir, checkpoint.weights(), dtype);
    }

    static ClipTextOutput java(NDManager m, Path dir, Map<String, Safetensors.Tensor> in) {
        try (ClipTextEncoder clip = ClipTextEncoder.load(dir)) {
            ClipTextOutput out = clip.encode(RandomCheckpoint.array(m, in.get("ids")).toType(DataType.INT64, false));
            for (NDArray a : new NDArray[] {out.penultimate(), out.last(), out.pooled(), out.projected()}) {
                if (a != null) {
                    a.attach(m);
                }
            }
            return out;
        }
    }

    /** Asserts every output the reference wrote; returns the reference's pooled embedding. */
    static float[] assertParity(Path dir, float[][] ids) throws Exception {
        Map<String, Safetensors.Tensor> in = inputs(ids);
        Map<String, Safetensors.Tensor> ref = ReferenceScript.run("clip.py", dir, in);
        try (NDManager m = NDManager.newBaseManager()) {
            ClipTextOutput out = java(m, dir, in);
            ReferenceScript.assertWithinTarget("penultimate", out.penultimate().toFloatArray(),
                    ref.get("penultimate").data());
            ReferenceScript.assertWithinTarget("last", out.last().toFloatArray(), ref.get("last").data());
            ReferenceScript.assertWithinTarget("pooled", out.pooled().toFloatArray(), ref.get("pooled").data());
            if (ref.containsKey("projected")) {
                ReferenceScript.assertWithinTarget("projected", out.projected().toFloatArray(),
                        ref.get("projected").data());
            } else {
                assertNull(out.projected());
            }
        }
        return ref.get("pooled").data();
    }

    @Test
    void clipLWithProjectionMatchesTheReference() throws Exception {
        assertParity(folder("l", CLIP_L, "F32", 31), L_IDS);
    }

    @Test
    void bf16WeightsWidenedInJavaMatchTheReferenceReadingBf16() throws Exception {
        assertParity(folder("l-bf16", CLIP_L, "BF16", 31), L_IDS);
    }

    @Test
    void clipLWithoutProjectionAsFluxReadsItMatchesTheReference() throws Exception {
        assertParity(folder("l-plain", CONFIG.formatted("CLIPTextModel", "quick_gelu", 2), "F32", 37), L_IDS);
    }

    @Test
    void bigGStyleExactGeluPoolingAtTheFirstEndOfTextIdMatchesTheReference() throws Exception {
        Path dir = folder("g", CONFIG.formatted("CLIPTextModelWithProjection", "gelu", 30), "F32", 41);
        float[] pooled = assertParity(dir, G_IDS);
        // Pooling at the largest id instead (position 2 of row 0, not 3) must give other embeddings.
        try (NDManager m = NDManager.newBaseManager()) {
            ClipTextOutput out = java(m, dir, inputs(G_IDS));
            float[] atLargest = out.last().get(0).get(2).concat(out.last().get(1).get(3)).toFloatArray();
            assertTrue(Discrepancy.between(atLargest, pooled).maxRel() > 100 * TARGET);
        }
    }

    @Test
    void readingQuickGeluAsExactGeluMissesTheReference() throws Exception {
        Path quick = folder("quick", CLIP_L, "F32", 43);
        Path exact = folder("exact", CONFIG.formatted("CLIPTextModelWithProjection", "gelu", 2), "F32", 43);
        Map<String, Safetensors.Tensor> in = inputs(L_IDS);
        float[] ref = ReferenceScript.run("clip.py", quick, in).get("penultimate").data();
        try (NDManager m = NDManager.newBaseManager()) {
            // The two curves differ by at most about 0.02, so the miss is smaller than a wrong layout's (1.2e-2 here),
            // yet still a hundred times the parity tolerance.
            Discrepancy d = Discrepancy.between(java(m, exact, in).penultimate().toFloatArray(), ref);
            assertTrue(d.maxRel() > 10 * TARGET, d.toString());
        }
    }
}
