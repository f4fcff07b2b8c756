package dev.asyncdiff.cli;

import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import dev.asyncdiff.model.tiny.ShippedWeightsDigest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * `train-tpm`: a short run's files and training record, a resume with other settings refused, and options that cannot
 * train, refused before anything is written.
 */
class TrainTpmCommandTest {
    @TempDir
    Path dir;

    @Test
    void aShortRunWritesItsLogCheckpointAndTpm() throws Exception {
        Path out = dir.resolve("tpm");
        CliRun r = CliRun.of("train-tpm", "--iterations", "2", "--group", "4", "--minibatch", "2", "--steps", "3",
                "--prompts", "shapes:colour:train:4", "--out", out.toString());
        assertEquals(0, r.code(), r.err());
        List<String> log = Files.readAllLines(out.resolve("log.csv"));
        assertEquals(3, log.size());
        assertTrue(log.get(0).startsWith("iteration,prompt,reward_mean,reward_std,zero_spread,ratio_dev_first,"), log.get(0));
        assertTrue(log.get(0).endsWith(",reward_oracle_mean,reward_hf-noise_mean"), log.get(0));
        assertTrue(Files.exists(out.resolve("tpm/tpm.safetensors")) && Files.exists(out.resolve("tpm/tpm.json")));
        assertEquals("2", Files.readString(out.resolve("checkpoint/state.txt")).strip());
        JsonObject training = JsonParser.parseString(Files.readString(out.resolve("tpm/tpm.json"))).getAsJsonObject()
                .getAsJsonObject("training");
        assertEquals("shipped", training.getAsJsonObject("weights").get("source").getAsString());
        assertEquals(ShippedWeightsDigest.sha256(), training.getAsJsonObject("weights").get("sha256").getAsString());
        assertEquals("half", training.get("bound").getAsString());
        assertEquals(2, training.get("iterations").getAsInt());
        assertEquals("shapes:colour:train:4", training.getAsJsonObject("recipe").get("prompts").getAsString());

        CliRun other = CliRun.of("train-tpm", "--iterations", "3", "--group", "4", "--minibatch", "2", "--steps", "3",
                "--prompts", "shapes:colour:train:4", "--bound", "lifted", "--out", out.toString(), "--resume");
        assertEquals(2, other.code(), other.err());
        assertEquals(1, other.err().strip().lines().count(), other.err());
        assertTrue(other.err().contains("cannot resume the checkpoint in " + out.resolve("checkpoint")
                + " with other settings (bound: \"half\", now \"lifted\")"), other.err());
        assertEquals(3, Files.readAllLines(out.resolve("log.csv")).size(), "nothing trained");
    }

    @ParameterizedTest(name = "{0} {1}")
    @CsvSource({
            "--group, 1, --group must be at least 2",
            "--minibatch, 5, --minibatch must divide --group (got 5 for a group of 16)",
            "--lr, 0, --lr must be a finite number > 0",
            "--kl, -1, --kl must be a finite number >= 0 (got -1.0)",
            "--adv-clip, 0, --adv-clip must be > 0 (got 0.0)",
            "--backbone, gmm, train-tpm trains on --backbone tiny only so far",
            "--rewards, 'oracle,clip', unknown reward 'clip'",
            "--bound, double, double",
            "--prompts, coco:train:4, outside the tiny model's vocabulary",
            "--minutes, 0, --minutes must be a finite number > 0 (got 0.0)",
    })
    void anUnusableOptionIsABadInput(String option, String value, String expected) {
        Path out = dir.resolve("never");
        CliRun.of("train-tpm", "--out", out.toString(), option, value).assertBadInput(out, expected);
    }
}
