package dev.asyncdiff.kernel;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ShellScriptTest {
    @Test
    void aFailingScriptExitsWithOneAndNamesTheFileAndLine(@TempDir Path dir) throws Exception {
        Path script = Files.writeString(dir.resolve("broken.jsh"),
                "int ok = 1;\n// a comment\nPipeline.gmm(GmmSpec.parse(\"{}\"));\n"
                        + "System.out.println(\"not reached\");\n");
        PrintStream err = System.err;
        PrintStream out = System.out;
        ByteArrayOutputStream captured = new ByteArrayOutputStream();
        ByteArrayOutputStream printed = new ByteArrayOutputStream();
        try {
            System.setErr(new PrintStream(captured, true, StandardCharsets.UTF_8));
            System.setOut(new PrintStream(printed, true, StandardCharsets.UTF_8));
            assertEquals(1, ScriptRunner.run(script));
        } finally {
            System.setErr(err);
            System.setOut(out);
        }
        String trace = captured.toString(StandardCharsets.UTF_8);
        assertTrue(trace.contains("at broken.jsh, line 3"), trace);
        assertEquals("", printed.toString(StandardCharsets.UTF_8));
    }
}
