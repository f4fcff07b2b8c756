package dev.asyncdiff.cli;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** One in-process run of the CLI: its exit code and what it wrote on stderr. */
record CliRun(int code, String err) {
    static CliRun of(String... args) {
        StringWriter err = new StringWriter();
        int code = Main.run(new PrintWriter(err, true), args);
        return new CliRun(code, err.toString());
    }

    static CliRun of(List<String> args) {
        return of(args.toArray(String[]::new));
    }

    /** Bad input: exit code 2, one line on stderr holding each expected text, and {@code out} never created. */
    void assertBadInput(Path out, String... expected) {
        assertEquals(2, code, err);
        assertEquals(1, err.strip().lines().count(), "one line: " + err);
        for (String e : expected) {
            assertTrue(err.contains(e), "expected '" + e + "' in: " + err);
        }
        assertFalse(Files.exists(out), "nothing may be written on bad input");
    }
}
