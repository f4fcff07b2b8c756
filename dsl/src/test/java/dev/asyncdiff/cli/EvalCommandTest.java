package dev.asyncdiff.cli;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** `eval`: the quality table of the shipped model, its ceilings and autoencoder PSNR, and its bad inputs. */
class EvalCommandTest {
    @TempDir
    Path dir;

    @ParameterizedTest(name = "{0} {1}")
    @CsvSource({
            "--steps, 0, --steps must be at least 1",
            "--split, train, --split must be val or val_unseen",
            "--guidance, -1, --guidance",
            "--policy, sometimes, sometimes",
    })
    void anUnusableOptionIsABadInput(String option, String value, String expected) {
        CliRun.of("eval", option, value, "--per-category", "1").assertBadInput(dir.resolve("never"), expected);
    }

    @Test
    void aSmallRunPrintsOneRowPerStepCountTheCeilingsAndThePsnr() {
        PrintStream stdout = System.out;
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        int code;
        try {
            System.setOut(new PrintStream(out, true, StandardCharsets.UTF_8));
            code = CliRun.of("eval", "--per-category", "2", "--steps", "1,2").code();
        } finally {
            System.setOut(stdout);
        }
        String text = out.toString(StandardCharsets.UTF_8);
        assertEquals(0, code, text);
        assertTrue(text.contains("| steps | colour | shape | texture | spatial | numeracy | complex | all |"), text);
        for (String row : List.of("| 1 |", "| 2 |", "| " + EvalCommand.RENDERS + " | 1.000 | 1.000 | 1.000 | 1.000 | "
                + "1.000 | 1.000 | 1.000 |", "| " + EvalCommand.ROUND_TRIP + " |")) {
            assertTrue(text.contains(row), "expected row " + row + " in:\n" + text);
        }
        assertTrue(Pattern.compile("\\| steps \\|( [1-4] objects? \\|)+ all \\|").matcher(text).find(),
                "a table per number of objects: " + text);
        Matcher psnr = Pattern.compile("Autoencoder PSNR on 12 val renders: ([0-9.]+) dB").matcher(text);
        assertTrue(psnr.find(), text);
        assertTrue(Double.parseDouble(psnr.group(1)) > 20, "the shipped autoencoder reconstructs renders: " + text);
    }
}
