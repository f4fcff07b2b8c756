package dev.asyncdiff.cli;

import com.google.gson.JsonArray;
import com.google.gson.JsonObject;
import dev.asyncdiff.model.blip.ImageRewardFixtures;
import dev.asyncdiff.model.clip.ClipModelFolders;
import dev.asyncdiff.reward.real.ImageRewardScore;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.awt.image.BufferedImage;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import javax.imageio.ImageIO;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@code score --rewards image-reward:DIR} and {@code weights check --reward image-reward DIR} on a small random
 * ImageReward.pt beside a bert-base-uncased style tokenizer (the published heads, 16 and 12, divide its widths 64 and
 * 48); a folder that cannot be used is a bad input (exit 2, one line).
 */
class ImageRewardCommandsTest {
    @TempDir
    Path tmp;

    Path folder(String name, JsonObject spec) throws Exception {
        Path dir = tmp.resolve(name);
        ImageRewardFixtures.write(dir, spec);
        Path tokenizer = tokenizer();
        for (String f : List.of("tokenizer.json", "tokenizer_config.json")) {
            Files.copy(tokenizer.resolve(f), dir.resolve(f));
        }
        return dir;
    }

    static Path tokenizer() throws URISyntaxException {
        return Path.of(ImageRewardCommandsTest.class.getResource("/tokenizers/tiny-wordpiece").toURI());
    }

    static JsonObject dropping(String key) {
        JsonObject spec = ImageRewardFixtures.spec(12, "F32");
        JsonArray drop = new JsonArray();
        drop.add(key);
        spec.add("drop", drop);
        return spec;
    }

    @Test
    void scoreWritesTheRewardOfEachImage() throws Exception {
        Path dir = folder("model", ImageRewardFixtures.spec(11, "F32"));
        BufferedImage img = ClipModelFolders.image(70, 64, 1);
        Path png = tmp.resolve("a.png");
        ImageIO.write(img, "png", png.toFile());
        Path csv = tmp.resolve("scores.csv");
        CliRun r = CliRun.of("score", "--rewards", "image-reward:" + dir, "--prompt", "a red cab", "--out",
                csv.toString(), png.toString());
        assertEquals(0, r.code(), r.err());
        List<String> lines = Files.readAllLines(csv);
        assertEquals("image,prompt,image-reward", lines.get(0));
        double cli = Double.parseDouble(lines.get(1).split(",")[2]);
        try (ImageRewardScore direct = ImageRewardScore.load(dir)) {
            assertEquals(direct.score(List.of(img), List.of("a red cab"))[0], cli, 1e-6);
        }
    }

    @Test
    void scoreRefusesAFolderWithoutItsCheckpoint() throws Exception {
        Path dir = Files.createDirectories(tmp.resolve("tokenizer-only"));
        Files.copy(tokenizer().resolve("tokenizer.json"), dir.resolve("tokenizer.json"));
        Path out = tmp.resolve("scores.csv");
        CliRun.of("score", "--rewards", "image-reward:" + dir, "--prompt", "a red cab", "--out", out.toString(),
                tmp.resolve("a.png").toString()).assertBadInput(out, "--rewards image-reward needs a folder holding "
                + "ImageReward.pt", dir.resolve("ImageReward.pt") + " is not a file");
    }

    @Test
    void weightsCheckCountsWhatTheScoreReads() throws Exception {
        Path dir = folder("checked", ImageRewardFixtures.spec(11, "BF16"));
        WeightsCheckCommandTest.Run r = WeightsCheckCommandTest.run("weights", "check", "--reward", "image-reward",
                dir.toString());
        assertEquals(0, r.code(), r.err());
        assertTrue(r.out().lines().anyMatch(l -> l.startsWith("image-reward") && l.contains("ImageReward")
                && l.contains(String.format(Locale.ROOT, "%,d", ImageRewardFixtures.PARAMETERS))
                && l.contains("BF16") && l.endsWith(" ok")), r.out());
    }

    @Test
    void weightsCheckNamesAMissingKeyInOneLine() throws Exception {
        Path dir = folder("holes", dropping("mlp.layers.7.bias"));
        CliRun.of("weights", "check", "--reward", "image-reward", dir.toString()).assertBadInput(tmp.resolve("never"),
                "does not match --reward image-reward: image-reward (ImageReward): 1 missing: mlp.layers.7.bias");
    }

    @Test
    void weightsCheckNamesATensorWhoseShapeGivesADimension() throws Exception {
        Path dir = folder("anchor", dropping("blip.text_encoder.embeddings.word_embeddings.weight"));
        CliRun.of("weights", "check", "--reward", "image-reward", dir.toString()).assertBadInput(tmp.resolve("never"),
                "does not hold an ImageReward state dict: no tensor blip.text_encoder.embeddings.word_embeddings"
                        + ".weight (its shape gives the text width)");
    }

    @Test
    void weightsCheckRefusesAMissingFolder() {
        Path missing = tmp.resolve("nowhere");
        CliRun.of("weights", "check", "--reward", "image-reward", missing.toString()).assertBadInput(
                tmp.resolve("never"), missing + " is not a folder");
    }
}
