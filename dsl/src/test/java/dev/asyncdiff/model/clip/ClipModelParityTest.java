package dev.asyncdiff.model.clip;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import dev.asyncdiff.bench.Discrepancy;
import dev.asyncdiff.io.Safetensors;
import dev.asyncdiff.model.checkpoint.RandomCheckpoint;
import dev.asyncdiff.model.checkpoint.ReferenceScript;
import dev.asyncdiff.nn.NoGrad;
import dev.asyncdiff.reward.real.ClipReward;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.SplittableRandom;

import static dev.asyncdiff.model.checkpoint.TransformerParity.TARGET;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The Java CLIPModel agrees with bench/reference/clip_model.py, an independent PyTorch implementation (the patch
 * embedding there is a real strided convolution, here a matrix product over flattened patches), on small random
 * folders under the real key names: image and text embeddings, their cosine, and both scores built on it.
 */
class ClipModelParityTest {
    /** Start 58, end 59 (the largest id), padded with the end token as CLIP pads. */
    static final float[][] IDS = {{58, 5, 17, 3, 59, 59, 59, 59}, {58, 40, 21, 8, 33, 12, 7, 59}};

    @TempDir
    Path tmp;

    static Map<String, Safetensors.Tensor> inputs(long seed) {
        long[] shape = {2, 3, 16, 16};
        Map<String, Safetensors.Tensor> in = new LinkedHashMap<>();
        in.put("pixels", RandomCheckpoint.tensor(shape, RandomCheckpoint.gaussian(new SplittableRandom(seed), shape,
                1)));
        in.put("ids", Safetensors.stack(IDS, new int[] {IDS[0].length}));
        return in;
    }

    /** Asserts every output against the reference; returns the measured discrepancies, by output. */
    static Map<String, Discrepancy> assertParity(Path dir) throws Exception {
        Map<String, Safetensors.Tensor> in = inputs(5);
        Map<String, Safetensors.Tensor> ref = ReferenceScript.run("clip_model.py", dir, in);
        Map<String, Discrepancy> out = new LinkedHashMap<>();
        try (NoGrad ignored = NoGrad.enter(); NDManager m = NDManager.newBaseManager();
             ClipModel clip = ClipModel.load(dir)) {
            NDArray image = clip.imageEmbeds(RandomCheckpoint.array(m, in.get("pixels")));
            NDArray text = clip.textEmbeds(RandomCheckpoint.array(m, in.get("ids")).toType(DataType.INT64, false));
            float[] cos = image.div(image.norm(new int[] {-1}, true)).mul(text.div(text.norm(new int[] {-1}, true)))
                    .sum(new int[] {-1}).toFloatArray();
            float[] clipScore = new float[cos.length];
            float[] pick = new float[cos.length];
            for (int i = 0; i < cos.length; i++) {
                clipScore[i] = (float) ClipReward.Kind.CLIP_SCORE.score(cos[i], clip.logitScale());
                pick[i] = (float) ClipReward.Kind.PICKSCORE.score(cos[i], clip.logitScale());
            }
            out.put("image_embeds", Discrepancy.between(image.toFloatArray(), ref.get("image_embeds").data()));
            out.put("text_embeds", Discrepancy.between(text.toFloatArray(), ref.get("text_embeds").data()));
            out.put("cosine", Discrepancy.between(cos, ref.get("cosine").data()));
            out.put("clip_score", Discrepancy.between(clipScore, ref.get("clip_score").data()));
            out.put("pickscore", Discrepancy.between(pick, ref.get("pickscore").data()));
        }
        out.forEach((what, d) -> {
            System.out.println(dir.getFileName() + " " + what + ": " + d);
            assertTrue(d.maxRel() <= TARGET, what + ": " + d);
        });
        return out;
    }

    @Test
    void clipL14StyleQuickGeluMatchesTheReference() throws Exception {
        assertParity(ClipModelFolders.write(tmp.resolve("l"), ClipModelFolders.CLIP_L_STYLE, "F32", 11));
    }

    @Test
    void pickScoreStyleExactGeluMatchesTheReference() throws Exception {
        assertParity(ClipModelFolders.write(tmp.resolve("h"), ClipModelFolders.PICKSCORE_STYLE, "F32", 13));
    }

    @Test
    void bf16WeightsWidenedInJavaMatchTheReferenceReadingBf16() throws Exception {
        assertParity(ClipModelFolders.write(tmp.resolve("l-bf16"), ClipModelFolders.CLIP_L_STYLE, "BF16", 11));
    }

    @Test
    void theScoresAreThoseOfTheirDefinitions() {
        // torchmetrics: max(100·cos, 0); PickScore: exp(logit_scale)·cos, negative cosines kept
        assertEquals(25.0, ClipReward.Kind.CLIP_SCORE.score(0.25, 4.6), 1e-12);
        assertEquals(0.0, ClipReward.Kind.CLIP_SCORE.score(-0.25, 4.6), 1e-12);
        assertEquals(-25.0, ClipReward.Kind.PICKSCORE.score(-0.25, Math.log(100)), 1e-9);
    }
}
