package dev.asyncdiff.cli;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** `sample --backbone tiny`: prompts and weight folders the embedded model cannot use are bad input (exit 2). */
class SampleTinyCommandTest {
    @TempDir
    Path dir;

    private void assertBadInput(List<String> extra, String... expected) {
        Path out = dir.resolve("never");
        List<String> args = new ArrayList<>(List.of("sample", "--backbone", "tiny", "--steps", "2", "--out",
                out.toString()));
        args.addAll(extra);
        CliRun.of(args).assertBadInput(out, expected);
    }

    @ParameterizedTest(name = "prompt [{0}]")
    @CsvSource(delimiter = '|', value = {
            "a purple circle beside a hexagon|beside",
            "a red dog|dog",
            "'   '|empty prompt",
    })
    void aPromptTheModelCannotReadIsABadInput(String prompt, String expected) {
        assertBadInput(List.of("--prompt", prompt), expected);
    }

    @Test
    void aPromptLongerThanTheTextEncoderIsABadInput() {
        assertBadInput(List.of("--prompt", String.join(" ", Collections.nCopies(17, "circle"))), "17 words",
                "at most 16");
    }

    @Test
    void aCorruptWeightFileIsABadInputNamingTheFile() throws IOException {
        Path weights = dir.resolve("weights");
        Files.createDirectories(weights);
        Files.write(weights.resolve("tiny.safetensors"), new byte[] {1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12});
        Files.writeString(weights.resolve("vocab.txt"), "a\nred\ncircle\n");
        assertBadInput(List.of("--weights", weights.toString(), "--prompt", "a red circle"), "tiny.safetensors",
                "not a safetensors file");
    }

    @Test
    void aMissingWeightFolderIsABadInput() {
        assertBadInput(List.of("--weights", dir.resolve("nowhere").toString(), "--prompt", "a red circle"),
                "cannot read tiny-model weights");
    }

    @Test
    void weightsForAnotherBackboneAreABadInput() {
        Path out = dir.resolve("never");
        CliRun o = CliRun.of(List.of("sample", "--backbone", "flux", "--weights", dir.toString(), "--prompt", "x",
                "--out", out.toString()));
        assertEquals(2, o.code(), o.err());
        assertTrue(o.err().contains("--weights applies to --backbone tiny only"), o.err());
    }
}
