package dev.asyncdiff.kernel;

import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Runs a .jsh script the way a notebook cell runs (same class path, imports, magics and error reports), on its own
 * JShell; displays print their text form.
 */
final class ScriptRunner {
    private ScriptRunner() {
    }

    /** Runs the script; returns 0, or 1 after printing the first error to stderr. */
    static int run(Path script) throws Exception {
        if (!Files.isRegularFile(script)) {
            throw new IllegalArgumentException("no script at " + script);
        }
        try (CellEvaluator cells = new CellEvaluator(ClassPath.ofThisJvm(), AsyncdiffKernel.IMPORTS)) {
            cells.evaluate(Files.readString(script), script.getFileName().toString());
            return 0;
        } catch (CellFailure f) {
            System.out.flush();
            f.traceback().forEach(System.err::println);
            return 1;
        }
    }
}
