package dev.asyncdiff.cli;

import dev.asyncdiff.eval.ImageGrid;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import javax.imageio.ImageIO;
import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** `eval --methods`: the paired comparison's files, its resume, and its bad inputs. */
class EvalMethodsTest {
    @TempDir
    Path dir;

    private static List<String> args(Path out) {
        return List.of("eval", "--methods", "sync,fixed:0.3", "--prompts", "shapes:colour:val:2", "--steps", "1,2",
                "--rewards", "oracle,hf-noise", "--out", out.toString());
    }

    private static String run(List<String> args) {
        PrintStream stdout = System.out;
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try {
            System.setOut(new PrintStream(out, true, StandardCharsets.UTF_8));
            CliRun r = CliRun.of(args);
            assertEquals(0, r.code(), r.err());
        } finally {
            System.setOut(stdout);
        }
        return out.toString(StandardCharsets.UTF_8);
    }

    @Test
    void aComparisonWritesItsRowsSummaryAndImagesAndResumesWhereItStopped() throws Exception {
        Path out = dir.resolve("eval");
        String table = run(args(out));
        List<String> rows = Files.readAllLines(out.resolve("images.csv"));
        assertEquals("prompt,sample,steps,method,mean_deviation,oracle,hf-noise", rows.get(0));
        assertEquals(1 + 2 * 2 * 2, rows.size(), "2 prompts × 2 step counts × 2 methods");
        assertTrue(table.contains("| 1 | sync |") && table.contains("| 2 | fixed:0.3 |"), table);
        assertEquals(table, Files.readString(out.resolve("summary.md")));
        assertTrue(Files.readString(out.resolve("summary.html")).contains("<th>Δ oracle</th>"));
        assertTrue(Files.exists(out.resolve("images/2/fixed_0.3/00001.png")));
        assertTrue(Files.readString(out.resolve("config.json")).contains("\"rewards\""));

        // Cut the file back to the first cell, as if the run had stopped after it: a rerun does the other three
        // cells and ends with the same rows, since every cell samples the same noises.
        Files.write(out.resolve("images.csv"), rows.subList(0, 3));
        String again = run(args(out));
        assertEquals(rows, Files.readAllLines(out.resolve("images.csv")));
        assertEquals(table, again);
    }

    @Test
    void aGammaComparisonDrawsItsRewardsAgainstGammaAndAGridAndNoBoxesForFixedDeviations() throws Exception {
        Path out = dir.resolve("eval");
        run(List.of("eval", "--methods", "sync,fixed:0.3:gamma=0.5,fixed:0.3:gamma=2", "--prompts",
                "shapes:colour:val:2", "--steps", "2", "--rewards", "oracle,hf-noise", "--out", out.toString()));
        Path figures = out.resolve("figures");
        for (String name : List.of("metrics-vs-gamma-oracle", "metrics-vs-gamma-hf-noise")) {
            assertTrue(Files.readString(figures.resolve(name + ".svg")).startsWith("<svg"), name);
            assertNotNull(ImageIO.read(figures.resolve(name + ".png").toFile()), name);
        }
        for (String method : List.of("sync", "fixed_0.3_gamma-0.5", "fixed_0.3_gamma-2")) {
            assertFalse(Files.exists(figures.resolve("deviation-2-" + method + ".png")),
                    method + ": the same deviation for every sample draws no box");
        }
        BufferedImage grid = ImageIO.read(figures.resolve("grid-2.png").toFile());
        BufferedImage first = ImageIO.read(out.resolve("images/2/sync/00000.png").toFile());
        int tile = first.getWidth() * ImageGrid.enlargement(first.getWidth(), first.getHeight());
        assertTrue(grid.getWidth() > 3 * tile && grid.getHeight() > 2 * tile,
                "3 methods × 2 prompts of " + tile + " px tiles plus labels, got " + grid.getWidth() + "×"
                        + grid.getHeight());
    }

    @Test
    void methodsThatDoNotShareADeviationDrawNoGammaChart() {
        Path out = dir.resolve("eval");
        run(List.of("eval", "--methods", "sync,fixed:0.3", "--prompts", "shapes:colour:val:2", "--steps", "1",
                "--rewards", "oracle", "--out", out.toString()));
        assertFalse(Files.exists(out.resolve("figures/metrics-vs-gamma-oracle.png")));
        assertTrue(Files.exists(out.resolve("figures/grid-1.png")));
    }

    @Test
    void anEvaluationFolderWithOtherSettingsIsNotResumed() {
        Path out = dir.resolve("eval");
        run(args(out));
        List<String> other = new ArrayList<>(args(out));
        other.set(2, "sync,fixed:0.2");
        CliRun.of(other).assertBadInput(dir.resolve("never"), "holds an evaluation with other settings");
    }

    @ParameterizedTest(name = "{0} {1}")
    @CsvSource({
            "--methods, 'sync,fixed:x', method 'fixed:x' is not",
            "--methods, 'sync,sync', names a method twice",
            "--rewards, 'oracle,clip', unknown reward 'clip'",
            "--prompts, coco:val:4, outside the tiny model's vocabulary",
            "--n, 0, --n must be at least 1",
            "--policy, fixed:0.3, --policy does not apply to a method comparison",
    })
    void anUnusableOptionIsABadInput(String option, String value, String expected) {
        Path out = dir.resolve("never");
        List<String> a = new ArrayList<>(List.of("eval", "--methods", "sync", "--steps", "1", "--out",
                out.toString()));
        int at = a.indexOf(option);
        if (at >= 0) {
            a.set(at + 1, value);
        } else {
            a.addAll(List.of(option, value));
        }
        CliRun.of(a).assertBadInput(out, expected);
    }

    @Test
    void comparisonOptionsWithoutMethodsAreABadInput() {
        CliRun.of("eval", "--rewards", "oracle").assertBadInput(dir.resolve("never"),
                "--rewards belongs to a method comparison");
    }
}
