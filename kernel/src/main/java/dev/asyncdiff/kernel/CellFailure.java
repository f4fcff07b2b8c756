package dev.asyncdiff.kernel;

import jdk.jshell.Diag;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.function.Function;

/**
 * A cell that did not complete, in the terms of a Jupyter error: a name, a value and a short traceback, one line
 * per element.
 */
final class CellFailure extends Exception {
    static final String COMPILATION_ERROR = "CompilationError";
    static final String INTERRUPTED = "Interrupted";

    private final String ename;
    private final String evalue;
    private final List<String> traceback;

    CellFailure(String ename, String evalue, List<String> traceback) {
        super(ename + ": " + evalue, null, false, false);
        this.ename = ename;
        this.evalue = evalue;
        this.traceback = List.copyOf(traceback);
    }

    String ename() {
        return ename;
    }

    String evalue() {
        return evalue;
    }

    List<String> traceback() {
        return traceback;
    }

    /** An exception thrown by cell code (or by a magic), with a short trace pointing at cell lines. */
    static CellFailure thrown(Throwable t, Function<String, SnippetOrigin> origins) {
        String message = t.getMessage();
        return new CellFailure(StackTraces.simpleName(t), message == null ? "" : message,
                StackTraces.format(t, origins));
    }

    /**
     * The cell was interrupted. {@code cause} (may be null) is what ended it: the exception a step callback or a
     * blocking call threw on the interrupt, or the ThreadDeath of a cell that had to be stopped outright.
     */
    static CellFailure interrupted(Throwable cause, Function<String, SnippetOrigin> origins) {
        List<String> lines = new ArrayList<>();
        lines.add("Interrupted: the cell was stopped on request; the kernel keeps its state.");
        if (cause != null) {
            boolean stopped = StackTraces.className(cause).equals("java.lang.ThreadDeath");
            lines.add(stopped ? "It did not reach a step boundary within " + CellEvaluator.STOP_GRACE_MS
                    + " ms and was stopped outright, at:" : "It stopped with " + StackTraces.header(cause));
            lines.addAll(StackTraces.frames(cause.getStackTrace(), origins, 3));
        }
        return new CellFailure(INTERRUPTED, "the cell was stopped on request", lines);
    }

    /**
     * Compiler errors of one snippet.
     *
     * @param origin        where the snippet starts
     * @param snippetSource the text JShell compiled; diagnostic positions refer to it
     */
    static CellFailure compile(SnippetOrigin origin, String snippetSource, List<Diag> errors) {
        List<String> lines = new ArrayList<>();
        String first = null;
        for (Diag d : errors) {
            String message = d.getMessage(Locale.ROOT);
            if (first == null) {
                first = message.lines().findFirst().orElse(message);
            }
            int start = (int) Math.max(0, Math.min(d.getStartPosition(), snippetSource.length()));
            int end = (int) Math.max(start, Math.min(d.getEndPosition(), snippetSource.length()));
            int lineStart = snippetSource.lastIndexOf('\n', start - 1) + 1;
            int lineEnd = snippetSource.indexOf('\n', start);
            if (lineEnd < 0) {
                lineEnd = snippetSource.length();
            }
            int snippetLine = (int) snippetSource.substring(0, lineStart).chars().filter(c -> c == '\n').count() + 1;
            lines.add("Compilation error in " + origin.source() + ", line " + origin.line(snippetLine) + ":");
            lines.add("    " + snippetSource.substring(lineStart, lineEnd));
            int caretEnd = Math.min(Math.max(end, start + 1), lineEnd);
            lines.add("    " + " ".repeat(start - lineStart) + "^" + "-".repeat(Math.max(0, caretEnd - start - 2))
                    + (caretEnd - start > 1 ? "^" : ""));
            // JShell's wrapper classes have no name; "location: class " would only confuse.
            message.lines().filter(l -> !l.strip().equals("location: class")).forEach(lines::add);
        }
        return new CellFailure(COMPILATION_ERROR, first == null ? "the code does not compile" : first, lines);
    }

    /** Code that ends in the middle of a statement. */
    static CellFailure incomplete(SnippetOrigin origin) {
        String message = "the code from " + origin.source() + ", line " + origin.firstLine()
                + " on is incomplete (a missing ';', ')' or '}'?)";
        return new CellFailure(COMPILATION_ERROR, message, List.of("Compilation error: " + message));
    }
}
