package dev.asyncdiff.io;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;

/** What code prints on {@code System.err} while it runs (warnings of the library), for tests. */
public final class Stderr {
    private Stderr() {
    }

    /** Something to run that may throw. */
    @FunctionalInterface
    public interface Action {
        void run() throws Exception;
    }

    /** Runs {@code action} with System.err captured and returns what it printed there. */
    public static String during(Action action) throws Exception {
        PrintStream before = System.err;
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        System.setErr(new PrintStream(bytes, true, StandardCharsets.UTF_8));
        try {
            action.run();
        } finally {
            System.setErr(before);
        }
        return bytes.toString(StandardCharsets.UTF_8);
    }
}
