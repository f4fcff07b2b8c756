package dev.asyncdiff.reward.real;

import dev.asyncdiff.bench.Discrepancy;
import dev.asyncdiff.io.Safetensors;
import dev.asyncdiff.model.blip.ImageRewardFixtures;
import dev.asyncdiff.model.checkpoint.ReferenceScript;
import dev.asyncdiff.model.clip.ClipModelFolders;
import dev.asyncdiff.model.tokenize.PromptTokenizer;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.awt.image.BufferedImage;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static dev.asyncdiff.model.checkpoint.TransformerParity.TARGET;
import static dev.asyncdiff.reward.real.RewardSpecRefusal.assertRefused;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * image-reward end to end (preprocessing, tokenizer, both encoders, head) against bench/reference/image_reward.py,
 * which preprocesses the same raw images itself with Pillow and torchvision's crop rounding, on a small random
 * ImageReward.pt beside a bert-base-uncased style tokenizer; and every bad folder refused with one line.
 */
public class ImageRewardScoreTest {
    static final List<String> PROMPTS = List.of("A red cab on the bed!", "blue dogs, doggy sky.", "the cab");

    @TempDir
    Path tmp;

    /** A small random ImageReward.pt with the tiny WordPiece tokenizer's files beside it. */
    public static Path folder(Path dir, long seed) throws Exception {
        ImageRewardFixtures.write(dir, seed);
        return withTokenizer(dir);
    }

    static Path withTokenizer(Path dir) throws Exception {
        Path tokenizer = Path.of(ImageRewardScoreTest.class.getResource("/tokenizers/tiny-wordpiece").toURI());
        for (String f : List.of("tokenizer.json", "tokenizer_config.json")) {
            Files.copy(tokenizer.resolve(f), dir.resolve(f));
        }
        return dir;
    }

    /**
     * Raw images whose resized sides leave odd margins (70×64 → 35×32, 39×32 unresized: corners 2 and 4 rounded,
     * 1 and 3 floored), one taller than wide, one enlarged.
     */
    static List<BufferedImage> images() {
        return List.of(ClipModelFolders.image(70, 64, 1), ClipModelFolders.image(39, 32, 2),
                ClipModelFolders.image(45, 60, 3));
    }

    @Test
    void rewardsMatchTheReferenceOnRawImagesAndPrompts() throws Exception {
        Path dir = folder(tmp.resolve("e2e"), 31);
        List<BufferedImage> images = images();
        Map<String, Safetensors.Tensor> in = new LinkedHashMap<>();
        for (int i = 0; i < images.size(); i++) {
            in.put("image." + i, ClipModelFolders.levels(images.get(i)));
        }
        try (PromptTokenizer t = PromptTokenizer.open(dir, ImageRewardScore.PROMPT_TOKENS,
                ImageRewardScore.BERT_PAD)) {
            PromptTokenizer.Tokens tokens = t.encode(PROMPTS);
            float[][] ids = new float[PROMPTS.size()][];
            float[][] mask = new float[PROMPTS.size()][ImageRewardScore.PROMPT_TOKENS];
            for (int i = 0; i < ids.length; i++) {
                ids[i] = new float[ImageRewardScore.PROMPT_TOKENS];
                for (int j = 0; j < ids[i].length; j++) {
                    ids[i][j] = tokens.ids()[i][j];
                    mask[i][j] = j < tokens.lengths()[i] ? 1 : 0;
                }
            }
            in.put("ids", Safetensors.stack(ids, new int[] {ImageRewardScore.PROMPT_TOKENS}));
            in.put("mask", Safetensors.stack(mask, new int[] {ImageRewardScore.PROMPT_TOKENS}));
        }
        in.put("heads", new Safetensors.Tensor(new int[] {2}, new float[] {ImageRewardFixtures.HEADS.vision(),
                ImageRewardFixtures.HEADS.text()}));
        float[] reference = ReferenceScript.run("image_reward.py", dir, in)
                .get("reward").data();
        try (ImageRewardScore r = ImageRewardScore.load(dir, ImageRewardFixtures.HEADS)) {
            assertEquals("image-reward", r.name());
            double[] s = r.score(images, PROMPTS);
            float[] java = new float[s.length];
            for (int i = 0; i < s.length; i++) {
                java[i] = (float) s[i];
            }
            Discrepancy d = Discrepancy.between(java, reference);
            System.out.println("image-reward end to end: " + d);
            assertTrue(d.maxRel() <= TARGET, d.toString());
        }
    }

    @Test
    void aBatchLongerThanOneForwardPassScoresAsImagesScoredOneByOne() throws Exception {
        Path dir = folder(tmp.resolve("batches"), 32);
        int n = ImageRewardScore.BATCH + 3;
        List<BufferedImage> images = new ArrayList<>();
        List<String> prompts = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            images.add(ClipModelFolders.image(40 + i, 50 - i, i));
            prompts.add(PROMPTS.get(i % PROMPTS.size()));
        }
        try (ImageRewardScore r = ImageRewardScore.load(dir, ImageRewardFixtures.HEADS)) {
            double[] all = r.score(images, prompts);
            for (int i = 0; i < n; i++) {
                assertEquals(r.score(List.of(images.get(i)), List.of(prompts.get(i)))[0], all[i], 1e-5,
                        "image " + i);
            }
        }
    }

    @Nested
    class RefusesWithOneLine {
        @Test
        void aMissingFolder() {
            Path missing = tmp.resolve("nowhere");
            assertRefused("image-reward:" + missing, "image-reward needs a folder holding ImageReward.pt "
                    + "(THUDM/ImageReward v1.0) and bert-base-uncased's tokenizer files", missing + " is not a folder");
        }

        @Test
        void aFolderWithoutTheCheckpoint() throws Exception {
            Path dir = withTokenizer(Files.createDirectories(tmp.resolve("tokenizer-only")));
            assertRefused("image-reward:" + dir, dir.resolve("ImageReward.pt") + " is not a file");
        }

        @Test
        void aFolderWithoutTheTokenizer() throws Exception {
            Path dir = tmp.resolve("checkpoint-only");
            ImageRewardFixtures.write(dir, 33);
            assertRefused("image-reward:" + dir, dir + " has neither tokenizer.json");
        }
    }
}
