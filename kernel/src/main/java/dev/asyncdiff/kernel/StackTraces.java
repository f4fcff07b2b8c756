package dev.asyncdiff.kernel;

import jdk.jshell.EvalException;

import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;

/**
 * Short, readable stack traces for cell errors: frames of snippet code are shown as cell lines, the evaluation
 * machinery below a snippet's top level (reflection, JShell, the kernel) is dropped, and long runs of library frames
 * are cut.
 */
final class StackTraces {
    /** Library frames shown before the first cell frame. */
    static final int MAX_LIBRARY_FRAMES = 10;
    /** Frames shown per cause. */
    static final int MAX_CAUSE_FRAMES = 3;

    private StackTraces() {
    }

    /** The exception's class name; for snippet exceptions, the user's exception rather than JShell's wrapper. */
    static String className(Throwable t) {
        return t instanceof EvalException e ? e.getExceptionClassName() : t.getClass().getName();
    }

    static String simpleName(Throwable t) {
        String name = className(t);
        return name.substring(name.lastIndexOf('.') + 1).replace('$', '.');
    }

    /** "java.lang.IllegalStateException: message", then frames, then "Caused by:" sections. */
    static List<String> format(Throwable t, Function<String, SnippetOrigin> origins) {
        List<String> lines = new ArrayList<>();
        lines.add(header(t));
        lines.addAll(frames(t.getStackTrace(), origins, MAX_LIBRARY_FRAMES));
        Throwable cause = t.getCause();
        for (int depth = 0; cause != null && cause != t && depth < 5; depth++, cause = cause.getCause()) {
            lines.add("Caused by: " + header(cause));
            lines.addAll(frames(cause.getStackTrace(), origins, MAX_CAUSE_FRAMES));
        }
        return lines;
    }

    static String header(Throwable t) {
        String message = t.getMessage();
        return className(t) + (message == null ? "" : ": " + message);
    }

    /**
     * The frames down to the top level of the innermost snippet, snippet frames as "at cell [3], line 2"; at most
     * {@code maxLibrary} other frames before the first snippet frame.
     */
    static List<String> frames(StackTraceElement[] trace, Function<String, SnippetOrigin> origins, int maxLibrary) {
        List<String> out = new ArrayList<>();
        int library = 0;
        int hidden = 0;
        boolean inCell = false;
        for (StackTraceElement frame : trace) {
            String file = frame.getFileName();
            SnippetOrigin origin = file != null && file.startsWith("#") ? origins.apply(file.substring(1)) : null;
            if (origin != null) {
                if (hidden > 0) {
                    out.add("  ... " + hidden + " more");
                    hidden = 0;
                }
                inCell = true;
                String where = origin.source() + ", line " + origin.line(frame.getLineNumber());
                String method = frame.getMethodName();
                // JShell names a snippet's top level "" (its wrapper's do_it$) and its lambdas lambda$do_it$$0.
                boolean topLevel = method.isEmpty() || method.equals("do_it$");
                out.add(topLevel ? "  at " + where
                        : "  at " + (method.startsWith("lambda$") ? "lambda" : method) + " (" + where + ")");
                if (topLevel) {
                    return out;
                }
            } else if (machinery(frame)) {
                continue;
            } else if (inCell || library < maxLibrary) {
                library++;
                out.add("  at " + frame);
            } else {
                hidden++;
            }
        }
        if (hidden > 0) {
            out.add("  ... " + hidden + " more");
        }
        return out;
    }

    private static boolean machinery(StackTraceElement frame) {
        String c = frame.getClassName();
        return c.startsWith("jdk.internal.reflect.") || c.startsWith("java.lang.reflect.")
                || c.startsWith("jdk.jshell.") || c.startsWith(StackTraces.class.getPackageName() + ".");
    }
}
