package dev.asyncdiff.cli;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** `prompts SPEC`: the set on stdout, one prompt a line, and a one-line summary on stderr. */
class PromptsCommandTest {
    static final Path DATASETS = Path.of(System.getProperty("basedir", ".")).resolve("../datasets").normalize();

    @TempDir
    Path dir;

    private record Printed(int code, List<String> out, List<String> err) {
    }

    private static Printed run(String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int code = Main.commandLine().setOut(new PrintWriter(out, true)).setErr(new PrintWriter(err, true))
                .execute(args);
        return new Printed(code, out.toString().lines().toList(), err.toString().lines().toList());
    }

    @Test
    void printsEachPromptOfTheFileOnItsOwnLineAndTheSizeOnStderr() throws IOException {
        Printed p = run("prompts", "geneval");
        assertEquals(0, p.code(), String.join("\n", p.err()));
        assertEquals(Files.readAllLines(DATASETS.resolve("geneval/generation_prompts.txt")), p.out());
        assertEquals(1, p.err().size(), String.join("\n", p.err()));
        assertTrue(p.err().get(0).contains("553 prompts") && p.err().get(0).contains("datasets/geneval/generation_prompts.txt"),
                p.err().get(0));
    }

    @Test
    void theLimitPrintsTheFirstNAsTheSpecsCountDoes() {
        Printed limited = run("prompts", "compbench:color:val", "--limit", "7");
        Printed counted = run("prompts", "compbench:color:val:7");
        assertEquals(0, limited.code());
        assertEquals(7, limited.out().size());
        assertEquals(counted.out(), limited.out());
        assertEquals(counted.err(), limited.err());
    }

    @ParameterizedTest(name = "{0} {1}")
    @CsvSource(delimiter = '#', value = {
            "cocoo:val#--limit=1#unknown prompt set",
            "coco:val:0#--limit=1#N must be from 1 to 2048",
            "drawbench#--limit=201#--limit N must be from 1 to 200",
            "drawbench#--limit=0#--limit N must be from 1 to 200",
    })
    void aBadSpecOrLimitExits2WithOneLine(String spec, String limit, String expected) {
        CliRun.of("prompts", spec, limit).assertBadInput(dir.resolve("never"), expected);
    }
}
