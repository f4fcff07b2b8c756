package dev.asyncdiff.cli;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** `reproduce`: the evaluations' folders, the index, the resume, and bad input. */
class ReproduceCommandTest {
    @TempDir
    Path dir;

    /** Runs the CLI with stdout dropped; the run's stderr holds what the progress display printed too. */
    private static CliRun quietly(String... args) {
        PrintStream stdout = System.out;
        PrintStream stderr = System.err;
        ByteArrayOutputStream progress = new ByteArrayOutputStream();
        try {
            System.setOut(new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8));
            System.setErr(new PrintStream(progress, true, StandardCharsets.UTF_8));
            CliRun r = CliRun.of(args);
            return new CliRun(r.code(), r.err() + progress.toString(StandardCharsets.UTF_8));
        } finally {
            System.setOut(stdout);
            System.setErr(stderr);
        }
    }

    @Test
    void aQuickTableWritesItsTwoEvaluationsAndAnIndexAndARerunResumesThem() throws Exception {
        Path out = dir.resolve("repro");
        CliRun r = quietly("reproduce", "table2", "--quick", "--out", out.toString());
        assertEquals(0, r.code(), r.err());
        for (String name : List.of("table2-coco", "table2-compbench")) {
            List<String> rows = Files.readAllLines(out.resolve(name).resolve("images.csv"));
            assertEquals(1 + 8 * 3, rows.size(), name + ": 8 prompts × sync and two stand-ins");
            assertTrue(rows.stream().skip(1).allMatch(l -> l.contains(",10,")), "Table 2 is at Flux's 10 steps");
        }
        String index = Files.readString(out.resolve("INDEX.md"));
        // the learned-policy rows: the shipped TPMs once both ship, else the paper's mean deviations standing in
        ClassLoader loader = dev.asyncdiff.tpm.ShippedTpm.classpath();
        boolean tpms = dev.asyncdiff.tpm.ShippedTpm.BOUNDED.isShipped(loader)
                && dev.asyncdiff.tpm.ShippedTpm.LIFTED.isShipped(loader);
        assertTrue(index.contains("`table2-coco/summary.md`") && (tpms
                ? index.contains("| 10 | " + dev.asyncdiff.tpm.ShippedTpm.BOUNDED.spec() + " |")
                : index.contains("| 10 | fixed:0.499 |") && index.contains("stands in for TPM (0.5 + r)")), index);
        String settings = Files.readString(out.resolve(dev.asyncdiff.eval.Reproduction.SETTINGS));
        assertTrue(settings.contains("\"weights\": \"shipped, sha256 " + shippedWeightsHash() + "\""),
                "the settings name the weights by content, so changed weights are not resumed: " + settings);
        long modified = Files.getLastModifiedTime(out.resolve("table2-coco/images.csv")).toMillis();

        CliRun again = quietly("reproduce", "table2", "--quick", "--out", out.toString());
        assertEquals(0, again.code(), again.err());
        assertTrue(again.err().contains("resuming: 3 of 3 cells"), again.err());
        assertEquals(modified, Files.getLastModifiedTime(out.resolve("table2-coco/images.csv")).toMillis(),
                "finished cells are not sampled again");

        // Another artefact into the same folder (as a notebook does after `reproduce all`): the index keeps the table
        CliRun other = quietly("reproduce", "fig6", "--quick", "--out", out.toString());
        assertEquals(0, other.code(), other.err());
        String both = Files.readString(out.resolve("INDEX.md"));
        assertTrue(both.contains("## " + dev.asyncdiff.eval.Artefact.TABLE2.caption())
                && both.contains("`table2-coco/summary.md`")
                && both.contains("## " + dev.asyncdiff.eval.Artefact.FIG6.caption()), both);
        assertTrue(both.indexOf(dev.asyncdiff.eval.Artefact.TABLE2.caption())
                < both.indexOf(dev.asyncdiff.eval.Artefact.FIG6.caption()), "the paper's order");
    }

    private static String shippedWeightsHash() throws Exception {
        try (var in = ReproduceCommandTest.class.getResourceAsStream("/dev/asyncdiff/tiny/tiny.safetensors")) {
            byte[] d = java.security.MessageDigest.getInstance("SHA-256").digest(in.readAllBytes());
            StringBuilder hex = new StringBuilder();
            for (int i = 0; i < 6; i++) {
                hex.append(String.format("%02x", d[i]));
            }
            return hex.toString();
        }
    }

    @Test
    void otherSettingsInTheSameFolderAreRefused() throws Exception {
        Path out = dir.resolve("repro");
        Files.createDirectories(out);
        Files.writeString(out.resolve(dev.asyncdiff.eval.Reproduction.SETTINGS), "{\"quick\": false}\n");
        CliRun r = quietly("reproduce", "fig5", "--quick", "--out", out.toString());
        assertEquals(2, r.code(), r.err());
        assertTrue(r.err().contains("holds a reproduction with other settings"), r.err());
        assertEquals(List.of(dev.asyncdiff.eval.Reproduction.SETTINGS), Files.list(out).map(p -> p.getFileName().toString())
                .toList(), "nothing else is written");
    }

    @Test
    void badInputGetsOneLineAndWritesNothing() throws Exception {
        Path out = dir.resolve("repro");
        quietly("reproduce", "table3", "--quick", "--out", out.toString()).assertBadInput(out, "'table3'",
                "table1|table2");
        quietly("reproduce", "table1", "--backbone", "sd35", "--out", out.toString()).assertBadInput(out,
                "reproduce --backbone sd35 needs --weights DIR (its diffusers folder) and --rewards");
        quietly("reproduce", "table2", "--backbone", "sd35", "--out", out.toString()).assertBadInput(out,
                "Table 2 is Flux.1-dev's (--backbone flux)");
        quietly("reproduce", "table1", "--image-size", "64", "--out", out.toString()).assertBadInput(out,
                "--image-size applies to --backbone sd35 and flux only");
        quietly("reproduce", "fig2", "--batch-size", "0", "--out", out.toString()).assertBadInput(out,
                "--batch-size");
        Path file = Files.writeString(dir.resolve("a-file"), "x");
        CliRun r = quietly("reproduce", "fig2", "--quick", "--out", file.toString());
        assertEquals(2, r.code(), r.err());
        assertTrue(r.err().contains("holds no reproduction"), r.err());
        assertEquals("x", Files.readString(file));
    }
}
