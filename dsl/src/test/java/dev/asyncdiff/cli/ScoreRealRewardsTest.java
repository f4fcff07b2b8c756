package dev.asyncdiff.cli;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;

/** {@code score --rewards clip-score:DIR / pickscore:DIR}: a folder that cannot be loaded is a bad input (exit 2). */
class ScoreRealRewardsTest {
    @TempDir
    Path tmp;

    @Test
    void aMissingModelFolderIsOneLineAndExitCode2() {
        Path out = tmp.resolve("scores.csv");
        Path missing = tmp.resolve("clip-vit-large-patch14");
        CliRun.of("score", "--rewards", "clip-score:" + missing, "--prompt", "a red cab", "--out", out.toString(),
                tmp.resolve("a.png").toString()).assertBadInput(out, "--rewards clip-score needs a folder holding",
                missing + " is not a folder");
    }

    @Test
    void aFolderWithoutItsTokenizerIsOneLineAndExitCode2() throws Exception {
        Path out = tmp.resolve("scores.csv");
        Path empty = Files.createDirectories(tmp.resolve("PickScore_v1"));
        Files.writeString(empty.resolve("preprocessor_config.json"), """
                {"crop_size": 224, "size": 224, "image_mean": [0.5, 0.5, 0.5], "image_std": [0.5, 0.5, 0.5]}""");
        CliRun.of("score", "--rewards", "pickscore:" + empty, "--prompt", "a red cab", "--out", out.toString(),
                tmp.resolve("a.png").toString()).assertBadInput(out, "--rewards pickscore needs a folder holding",
                "tokenizer");
    }
}
