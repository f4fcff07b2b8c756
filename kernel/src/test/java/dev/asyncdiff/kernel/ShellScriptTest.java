package dev.asyncdiff.kernel;

import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

class ShellScriptTest {
    @TempDir
    Path dir;

    /** What a script run printed and returned. */
    record Run(int exit, String out, String err) {
    }

    Run run(String name, String script) throws Exception {
        Path file = Files.writeString(dir.resolve(name), script);
        PrintStream err = System.err;
        PrintStream out = System.out;
        ByteArrayOutputStream captured = new ByteArrayOutputStream();
        ByteArrayOutputStream printed = new ByteArrayOutputStream();
        int exit;
        try {
            System.setErr(new PrintStream(captured, true, StandardCharsets.UTF_8));
            System.setOut(new PrintStream(printed, true, StandardCharsets.UTF_8));
            exit = ScriptRunner.run(file);
        } finally {
            System.setErr(err);
            System.setOut(out);
        }
        return new Run(exit, printed.toString(StandardCharsets.UTF_8), captured.toString(StandardCharsets.UTF_8));
    }

    @Test
    void aFailingScriptExitsWithOneAndNamesTheFileAndLine() throws Exception {
        Run r = run("broken.jsh", "int ok = 1;\n// a comment\nPipeline.gmm(GmmSpec.parse(\"{}\"));\n"
                + "System.out.println(\"not reached\");\n");
        assertEquals(1, r.exit());
        assertTrue(r.err().contains("at broken.jsh, line 3"), r.err());
        assertEquals("", r.out());
    }

    @Nested
    class JShellCommands {
        @Test
        void exitStopsTheScriptWithStatusZero() throws Exception {
            Run r = run("exit.jsh", "System.out.println(\"before\");\n/exit\nSystem.out.println(\"after\");\n");
            assertEquals(0, r.exit(), r.err());
            assertEquals("before\n", r.out());
        }

        @Test
        void exitWithAnIntExpressionStopsWithItsValue() throws Exception {
            assertEquals(3, run("three.jsh", "/exit 3\n").exit());
            Run r = run("sum.jsh", "int failures = 2;\n/exit failures + 5\nSystem.out.println(\"after\");\n");
            assertEquals(7, r.exit(), r.err());
            assertEquals("", r.out());
        }

        @Test
        void exitWithSomethingOtherThanAnIntIsAnErrorNamingTheLine() throws Exception {
            Run r = run("text.jsh", "int ok = 1;\n/exit \"done\"\n");
            assertEquals(1, r.exit());
            assertTrue(r.err().contains("text.jsh, line 2") && r.err().contains("int expression"), r.err());
        }

        @Test
        void openRunsAnotherScriptInTheSameStateAndGoesOn() throws Exception {
            Path other = Files.writeString(dir.resolve("other.jsh"), "int fromOther = 41;\n");
            Run r = run("main.jsh", "/open " + other + "\nSystem.out.println(fromOther + 1);\n");
            assertEquals(0, r.exit(), r.err());
            assertEquals("42\n", r.out());
        }

        @Test
        void anErrorInAnOpenedScriptNamesThatScriptAndLine() throws Exception {
            Path other = Files.writeString(dir.resolve("inner.jsh"), "int a = 1;\nint b = a / 0;\n");
            Run r = run("outer.jsh", "\n/open " + other + "\n");
            assertEquals(1, r.exit());
            assertTrue(r.err().contains("at inner.jsh, line 2"), r.err());
        }

        @Test
        void anErrorAfterACommandNamesItsLineInTheScript() throws Exception {
            Run r = run("later.jsh", "int ok = 1;\n/vars\n\nthrow new IllegalStateException(\"boom\");\n");
            assertEquals(1, r.exit());
            assertTrue(r.err().contains("at later.jsh, line 4"), r.err());
        }

        @Test
        void importsAndVarsPrintWhatJShellItselfPrints() throws Exception {
            Path jshell = Path.of(System.getProperty("java.home"), "bin", "jshell");
            assumeTrue(Files.isExecutable(jshell), "no jshell in " + jshell.getParent());
            String body = "int x = 1;\nString s = \"a\";\nvar list = List.of(2, 3);\ndouble[] d = {0.5};\n"
                    + "/imports\n/vars\n";
            Run ours = run("listing.jsh", body);
            assertEquals(0, ours.exit(), ours.err());

            // The JDK's jshell, on the same class path, with the kernel's imports in place of its own start-up.
            List<String> script = new ArrayList<>(AsyncdiffKernel.IMPORTS);
            script.add(body + "/exit");
            Path theirs = Files.write(dir.resolve("reference.jsh"), script);
            Process p = new ProcessBuilder(jshell.toString(), "--no-startup", "--class-path",
                    ClassPath.join(ClassPath.ofThisJvm()), theirs.toString())
                    .redirectError(ProcessBuilder.Redirect.DISCARD).start();
            String expected = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            assertTrue(p.waitFor(120, TimeUnit.SECONDS));
            assertEquals(0, p.exitValue());
            assertTrue(expected.contains("  int x = 1\n") && expected.contains("  import java.util.*\n"), expected);
            assertEquals(expected, ours.out());
        }

        @Test
        void anUnknownCommandIsAnErrorListingTheOnesAScriptCanUse() throws Exception {
            Run r = run("unknown.jsh", "int ok = 1;\n/reset\nSystem.out.println(\"after\");\n");
            assertEquals(1, r.exit());
            assertTrue(r.err().contains("unknown.jsh, line 2") && r.err().contains(ScriptRunner.COMMANDS), r.err());
            assertEquals("", r.out());
        }

        @Test
        void aSlashLineThatContinuesAnOpenStatementStaysJava() throws Exception {
            // As in JShell: after an open parenthesis the line is code, 8 / exit.
            Run r = run("divide.jsh", "int exit = 2;\nint q = (8\n/exit );\nSystem.out.println(q);\n");
            assertEquals(0, r.exit(), r.err());
            assertEquals("4\n", r.out());
        }
    }
}
