package dev.asyncdiff.cli;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** `train-rewards`: a short run's files, and inputs that cannot train, refused before anything is written. */
class TrainRewardsCommandTest {
    @TempDir
    Path dir;

    @Test
    void aShortRunWritesItsCheckpointLogExportAndHeldOutTable() throws Exception {
        Path out = dir.resolve("rewards");
        CliRun r = CliRun.of("train-rewards", "--reward", "embedded-pref-b", "--steps", "2", "--held-out", "3",
                "--out", out.toString());
        assertEquals(0, r.code(), r.err());
        Path run = out.resolve("embedded-pref-b");
        assertTrue(Files.exists(run.resolve("export/embedded-pref-b.safetensors")));
        assertTrue(Files.readString(run.resolve("export/embedded-pref-b.json")).contains("\"analogue\": \"HPSv2\""));
        assertEquals("step 2", Files.readAllLines(run.resolve("checkpoint/state.txt")).get(0));
        assertEquals(3, Files.readAllLines(run.resolve("loss.csv")).size());
        List<String> heldOut = Files.readAllLines(run.resolve("heldout.csv"));
        assertEquals("reward,test,kind,pairs,accuracy,mean_margin", heldOut.get(0));
        assertEquals(List.of("colour", "shape", "texture", "relation", "count", "extra", "missing", "blur",
                "low-detail", "jpeg", "noise", "sigma-0.01", "sigma-0.02", "sigma-0.03", "sigma-0.05"),
                heldOut.stream().skip(1).map(l -> l.split(",")[2]).toList(), "one row per corruption and noise level");
    }

    @ParameterizedTest(name = "{0} {1}")
    @CsvSource({
            "--reward, clip, unknown embedded reward model 'clip'; known: embedded-clip, embedded-pref-a",
            "--steps, 0, --steps must be at least 1 (got 0)",
            "--held-out, -1, --held-out must be ≥ 0 (got -1)",
    })
    void anUnusableOptionIsABadInput(String option, String value, String expected) {
        Path out = dir.resolve("never");
        List<String> args = new java.util.ArrayList<>(List.of("train-rewards", "--out", out.toString()));
        if (!option.equals("--reward")) {
            args.addAll(List.of("--reward", "all"));
        }
        args.addAll(List.of(option, value));
        CliRun.of(args).assertBadInput(out, expected);
    }

    @Test
    void anOutFolderThatCannotBeCreatedIsABadInput() throws Exception {
        Path file = Files.writeString(dir.resolve("a-file"), "not a folder");
        Path out = file.resolve("rewards");
        CliRun.of("train-rewards", "--reward", "embedded-clip", "--out", out.toString())
                .assertBadInput(out, "--out " + out + " cannot be created");
    }
}
