package dev.asyncdiff.kernel;

import jdk.jshell.JShell;
import jdk.jshell.Snippet;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.OptionalInt;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Runs a .jsh script the way a notebook cell runs (same class path, imports, magics and error reports), on its own
 * JShell; displays print their text form. As in JShell, a line that starts with {@code /} where the code before it is
 * complete is a JShell command; a script may use {@code /exit [CODE]}, {@code /open FILE}, {@code /imports} and
 * {@code /vars}.
 */
final class ScriptRunner {
    static final Pattern COMMAND = Pattern.compile("^/([A-Za-z]+)(?:[ \\t]+(.*))?$");
    static final String COMMANDS = "/exit [CODE], /open FILE, /imports or /vars";

    private final CellEvaluator cells;

    private ScriptRunner(CellEvaluator cells) {
        this.cells = cells;
    }

    /** Runs the script; returns 0, the code of an {@code /exit}, or 1 after printing the first error to stderr. */
    static int run(Path script) throws Exception {
        if (!Files.isRegularFile(script)) {
            throw new IllegalArgumentException("no script at " + script);
        }
        try (CellEvaluator cells = new CellEvaluator(ClassPath.ofThisJvm(), AsyncdiffKernel.IMPORTS)) {
            return new ScriptRunner(cells).runFile(script).orElse(0);
        } catch (CellFailure f) {
            System.out.flush();
            f.traceback().forEach(System.err::println);
            return 1;
        }
    }

    /** Runs a script's code and commands in order; the exit code when an {@code /exit} ended it. */
    private OptionalInt runFile(Path script) throws Exception {
        String source = script.getFileName().toString();
        String[] lines = Files.readString(script).split("\n", -1);
        List<String> code = new ArrayList<>();
        int codeStart = 1;
        for (int i = 0; i < lines.length; i++) {
            Matcher m = COMMAND.matcher(lines[i]);
            String pending = String.join("\n", code);
            if (m.matches() && (pending.isBlank() || cells.onEvalThread(() -> cells.isComplete(pending)))) {
                evaluate(pending, codeStart, source);
                OptionalInt exit = command(m.group(1), m.group(2) == null ? "" : m.group(2).strip(), i + 1, source);
                if (exit.isPresent()) {
                    return exit;
                }
                code.clear();
                codeStart = i + 2;
            } else {
                code.add(lines[i]);
            }
        }
        evaluate(String.join("\n", code), codeStart, source);
        return OptionalInt.empty();
    }

    /** Evaluates code that starts on line {@code firstLine} of the script, as a cell. */
    private CellResult evaluate(String code, int firstLine, String source) throws CellFailure {
        if (code.isBlank()) {
            return CellResult.NONE;
        }
        // Blank lines in place of the lines before it keep error reports pointing at lines of the script.
        return cells.evaluate("\n".repeat(firstLine - 1) + code, source);
    }

    private OptionalInt command(String name, String args, int line, String source) throws Exception {
        switch (name) {
            case "exit":
                return OptionalInt.of(args.isEmpty() ? 0 : exitCode(args, line, source));
            case "open":
                if (args.isEmpty()) {
                    throw commandError("/open needs a file: /open other.jsh", line, source);
                }
                Path file = Path.of(args);
                if (!Files.isRegularFile(file)) {
                    throw commandError("/open: no file " + file.toAbsolutePath() + " (a relative path starts at the "
                            + "working directory, as in JShell)", line, source);
                }
                return runFile(file);
            case "imports":
                cells.withShell(shell -> shell.imports().toList()).forEach(i ->
                        System.out.println("  import " + (i.isStatic() ? "static " : "") + i.fullname()));
                return OptionalInt.empty();
            case "vars":
                cells.withShell(ScriptRunner::vars).forEach(System.out::println);
                return OptionalInt.empty();
            default:
                throw commandError("/" + name + " is not a JShell command a script can run here; use " + COMMANDS,
                        line, source);
        }
    }

    /** {@code /exit EXPR}: JShell takes an int expression. */
    private int exitCode(String expression, int line, String source) throws CellFailure {
        CellResult r = evaluate(expression, line, source);
        if (!(r.value() instanceof Integer code)) {
            throw commandError("/exit takes an int expression, such as /exit 3 (got " + expression + ")", line,
                    source);
        }
        return code;
    }

    /** The active variables, one line each, as JShell's /vars lists them. */
    private static List<String> vars(JShell shell) {
        return shell.variables().map(v -> "  " + v.typeName() + " " + v.name() + " = "
                + (shell.status(v) == Snippet.Status.VALID ? shell.varValue(v) : "(not-active)")).toList();
    }

    private static CellFailure commandError(String message, int line, String source) {
        return new CellFailure("CommandError", message, List.of("Command error in " + source + ", line " + line + ":",
                "    " + message));
    }
}
