package dev.asyncdiff.cli;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class MasksCommandTest {
    @TempDir
    Path dir;

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
            "--steps|0|--steps must be at least 1",
            "--mask-threshold|0|the mask threshold must be a finite number > 0",
            "--mask-threshold|NaN|the mask threshold must be a finite number > 0",
            "--prompts|coco:val:2|outside the tiny model's vocabulary",
            "--prompts|nonsense|unknown prompt set"})
    void badInputIsOneLineAndExitTwoWithNothingWritten(String option, String value, String expected) {
        Path out = dir.resolve("masks.csv");
        CliRun.of("masks", option, value, "--out", out.toString()).assertBadInput(out, expected);
    }

    @Test
    void theCsvHasOneRowPerImageStepWordChoiceAndBlockChoice() throws Exception {
        Path out = dir.resolve("m.csv");
        CliRun run = CliRun.of("masks", "--prompts", "shapes:spatial:val:2", "--steps", "2", "--out", out.toString());
        assertEquals(0, run.code(), run.err());
        List<String> lines = Files.readAllLines(out);
        assertEquals("words,blocks,step,auc,precision,recall,coverage,object_share", lines.get(0));
        List<String> rows = new ArrayList<>(lines.subList(1, lines.size()));
        // 2 word choices × 2 steps × (5 blocks + all) per image that shows objects
        assertTrue(!rows.isEmpty() && rows.size() % (2 * 2 * 6) == 0, rows.size() + " rows");
    }
}
