package dev.asyncdiff.reward.real;

import dev.asyncdiff.bench.Discrepancy;
import dev.asyncdiff.io.Safetensors;
import dev.asyncdiff.model.checkpoint.Architecture;
import dev.asyncdiff.model.checkpoint.RandomCheckpoint;
import dev.asyncdiff.model.checkpoint.ReferenceScript;
import dev.asyncdiff.model.clip.ClipImageProcessor;
import dev.asyncdiff.model.clip.ClipModelFolders;
import dev.asyncdiff.model.tokenize.PromptTokenizer;
import dev.asyncdiff.reward.Reward;
import dev.asyncdiff.reward.Rewards;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.awt.image.BufferedImage;
import java.io.IOException;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;

import static dev.asyncdiff.model.checkpoint.TransformerParity.TARGET;
import static dev.asyncdiff.reward.real.RewardSpecRefusal.assertRefused;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * clip-score and pickscore end to end (image processing, tokenizer, CLIPModel, score) against the references: Pillow
 * through bench/reference/clip_preprocess.py, then bench/reference/clip_model.py on those pixels and the same token
 * ids; and every bad folder refused with one line naming what is wrong.
 */
class ClipRewardTest {
    static final String PROCESSOR = """
            {"crop_size": 16, "size": 16, "resample": 3, "image_mean": [0.48145466, 0.4578275, 0.40821073],
             "image_std": [0.26862954, 0.26130258, 0.27577711]}""";
    static final List<String> PROMPTS = List.of("red cab", "a bed, a cab!");

    @TempDir
    Path tmp;

    /** A random CLIPModel with the tiny BPE tokenizer fixture and a 16-pixel processor. */
    static Path folder(Path dir, String config) throws IOException, URISyntaxException {
        ClipModelFolders.write(dir, config, "F32", 17);
        return withProcessorAndTokenizer(dir);
    }

    static Path withProcessorAndTokenizer(Path dir) throws IOException, URISyntaxException {
        Path tokenizer = Path.of(ClipRewardTest.class.getResource("/tokenizers/tiny-bpe").toURI());
        for (String f : List.of("tokenizer.json", "tokenizer_config.json")) {
            Files.copy(tokenizer.resolve(f), dir.resolve(f));
        }
        Files.writeString(dir.resolve(ClipImageProcessor.FILE), PROCESSOR);
        return dir;
    }

    /** The reference's scores: Pillow's pixels for each image, the tokenizer's ids, clip_model.py. */
    static Map<String, Safetensors.Tensor> reference(Path dir, List<BufferedImage> images) throws Exception {
        float[] pixels = new float[0];
        for (BufferedImage img : images) {
            float[] one = ReferenceScript.run("clip_preprocess.py", dir, Map.of("image", ClipModelFolders.levels(img))).get("pixels")
                    .data();
            float[] joined = Arrays.copyOf(pixels, pixels.length + one.length);
            System.arraycopy(one, 0, joined, pixels.length, one.length);
            pixels = joined;
        }
        Map<String, Safetensors.Tensor> in = new LinkedHashMap<>();
        in.put("pixels", new Safetensors.Tensor(new int[] {images.size(), 3, 16, 16}, pixels));
        in.put("ids", clipIds(dir, PROMPTS));
        return ReferenceScript.run("clip_model.py", dir, in);
    }

    /** The prompts' CLIP token ids from {@code dir}'s tokenizer, [prompts, 77], as floats for a reference script. */
    static Safetensors.Tensor clipIds(Path dir, List<String> prompts) {
        long[][] ids;
        try (PromptTokenizer t = PromptTokenizer.open(dir, PromptTokenizer.CLIP_LENGTH)) {
            ids = t.encode(prompts).ids();
        }
        float[][] rows = new float[ids.length][ids[0].length];
        for (int i = 0; i < ids.length; i++) {
            for (int j = 0; j < ids[i].length; j++) {
                rows[i][j] = ids[i][j];
            }
        }
        return Safetensors.stack(rows, new int[] {rows[0].length});
    }

    @Test
    void bothScoresMatchTheReferenceEndToEnd() throws Exception {
        Path dir = folder(tmp.resolve("l"), ClipModelFolders.CLIP_L_STYLE);
        List<BufferedImage> images = List.of(ClipModelFolders.image(40, 24, 1), ClipModelFolders.image(19, 33, 2));
        Map<String, Safetensors.Tensor> ref = reference(dir, images);
        for (ClipReward.Kind kind : List.of(ClipReward.Kind.CLIP_SCORE, ClipReward.Kind.PICKSCORE)) {
            try (ClipReward r = ClipReward.load(kind, dir)) {
                assertEquals(kind.rewardName, r.name());
                double[] s = r.score(images, PROMPTS);
                float[] java = {(float) s[0], (float) s[1]};
                Discrepancy d = Discrepancy.between(java, ref.get(kind.rewardName.replace('-', '_')).data());
                System.out.println(kind.rewardName + " end to end: " + d);
                assertTrue(d.maxRel() <= TARGET, kind.rewardName + ": " + d);
            }
        }
    }

    @Test
    void aBatchLongerThanOneForwardPassScoresAsImagesScoredOneByOne() throws Exception {
        Path dir = folder(tmp.resolve("batches"), ClipModelFolders.PICKSCORE_STYLE);
        int n = ClipReward.BATCH + 3;
        List<BufferedImage> images = new java.util.ArrayList<>();
        List<String> prompts = new java.util.ArrayList<>();
        for (int i = 0; i < n; i++) {
            images.add(ClipModelFolders.image(20 + i, 30 - i, i));
            prompts.add(i % 2 == 0 ? "red cab" : "a bed");
        }
        try (ClipReward r = ClipReward.load(ClipReward.Kind.PICKSCORE, dir)) {
            double[] all = r.score(images, prompts);
            for (int i = 0; i < n; i++) {
                assertEquals(r.score(List.of(images.get(i)), List.of(prompts.get(i)))[0], all[i], 1e-4, "image " + i);
            }
        }
    }

    @Nested
    class RefusesWithOneLine {
        @Test
        void aMissingFolder() {
            Path missing = tmp.resolve("nowhere");
            assertRefused("oracle,clip-score:" + missing, "clip-score needs a folder holding OpenAI's CLIP ViT-L/14",
                    missing + " is not a folder");
        }

        @Test
        void aFolderOfAnotherModelClass() throws Exception {
            Path dir = folder(tmp.resolve("text"), ClipModelFolders.PICKSCORE_STYLE);
            Files.writeString(dir.resolve("config.json"), ClipModelFolders.PICKSCORE_STYLE.replace("\"CLIPModel\"",
                    "\"CLIPVisionModel\""));
            assertRefused("pickscore:" + dir, "pickscore needs a folder holding yuvalkirstain/PickScore_v1",
                    "describes a CLIPVisionModel; a CLIPModel belongs here");
        }

        @Test
        void missingKeysNamedOnce() throws Exception {
            Path scratch = Files.createDirectories(tmp.resolve("scratch"));
            RandomCheckpoint full = RandomCheckpoint.of(Architecture.CLIP_MODEL, ClipModelFolders.CLIP_L_STYLE,
                    scratch, new SplittableRandom(3));
            Map<String, long[]> shapes = new LinkedHashMap<>(full.shapes());
            Map<String, float[]> weights = new LinkedHashMap<>(full.weights());
            for (String gone : List.of("visual_projection.weight", "vision_model.pre_layrnorm.bias")) {
                shapes.remove(gone);
                weights.remove(gone);
            }
            Path dir = new RandomCheckpoint(full.config(), shapes, weights).folder(tmp.resolve("holes"), weights,
                    "F32");
            withProcessorAndTokenizer(dir);
            assertRefused("clip-score:" + dir, "does not hold a CLIPModel: 2 missing: vision_model.pre_layrnorm.bias, "
                    + "visual_projection.weight");
        }

        @Test
        void aRealRewardWithoutItsFolder() {
            assertRefused("clip-score", "reward 'clip-score' reads a model folder: write clip-score:DIR");
        }

        @Test
        void aFolderGivenToARewardThatTakesNone() {
            assertRefused("oracle:/tmp", "reward 'oracle' takes no folder (only " + String.join(", ",
                    Rewards.folderNames()) + " do)");
        }

        @Test
        void aRealRewardNamedTwiceBeforeAnyLoad() {
            assertRefused("clip-score:/a,clip-score:/b", "reward 'clip-score' is named twice");
        }
    }

    @Test
    void aListMixesEmbeddedAndFolderRewardsInItsOrder() throws Exception {
        Path dir = folder(tmp.resolve("closing"), ClipModelFolders.CLIP_L_STYLE);
        List<Reward> rewards = Rewards.parse("oracle,clip-score:" + dir);
        assertEquals(List.of("oracle", "clip-score"), rewards.stream().map(Reward::name).toList());
        Rewards.closeAll(rewards);
    }
}
