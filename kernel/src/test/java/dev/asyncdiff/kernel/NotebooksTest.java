package dev.asyncdiff.kernel;

import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;
import static org.junit.jupiter.api.Assumptions.abort;

/**
 * Every notebook in notebooks/ runs top to bottom on this kernel under {@code jupyter nbconvert --execute} (quick
 * mode, CI=1) without a cell error, and exports to HTML with {@code jupyter nbconvert --to html}, both as stored and
 * as executed; every .jsh script runs through {@code asyncdiff shell}. Without Jupyter the notebook tests fail under
 * CI and are skipped, saying why, elsewhere.
 */
class NotebooksTest {
    static final Path NOTEBOOKS = Path.of(System.getProperty("basedir", ".")).resolve("../notebooks").normalize();
    static final String JUPYTER_MISSING = "Jupyter is not installed (no working 'jupyter nbconvert'); install it with "
            + "'apt-get install -y jupyter-nbconvert python3-nbclient jupyter-client python3-ipykernel'";

    @TempDir
    static Path work;

    /** A finished process: exit status, stdout and stderr. */
    record Run(int exit, String out, String err) {
        String both() {
            return out + err;
        }
    }

    static Run run(List<String> command, Map<String, String> env, long timeoutSeconds) throws Exception {
        ProcessBuilder pb = new ProcessBuilder(command);
        pb.environment().putAll(env);
        Path out = Files.createTempFile(work, "out", ".log");
        Path err = Files.createTempFile(work, "err", ".log");
        Process p = pb.redirectOutput(out.toFile()).redirectError(err.toFile()).start();
        if (!p.waitFor(timeoutSeconds, TimeUnit.SECONDS)) {
            p.descendants().forEach(ProcessHandle::destroyForcibly);
            p.destroyForcibly();
            fail(String.join(" ", command) + " did not finish within " + timeoutSeconds + " s:\n"
                    + Files.readString(out) + Files.readString(err));
        }
        return new Run(p.exitValue(), Files.readString(out), Files.readString(err));
    }

    static void requireJupyter() {
        boolean available;
        try {
            available = run(List.of("jupyter", "nbconvert", "--version"), Map.of(), 120).exit() == 0;
        } catch (Exception e) {
            available = false;
        }
        if (!available) {
            if (System.getenv("CI") != null) {
                fail(JUPYTER_MISSING + "; CI must have it.");
            }
            abort(JUPYTER_MISSING + "; the notebook tests are skipped outside CI.");
        }
    }

    /** A data directory holding this kernel's kernelspec (running the test class path), for JUPYTER_PATH. */
    static Path kernelspecDir() throws IOException {
        Path data = work.resolve("jupyter-data");
        if (!Files.exists(data.resolve("kernels").resolve(AsyncdiffKernel.NAME))) {
            KernelSpecs.install(data, AsyncdiffKernel.NAME, KernelSpecs.argv());
        }
        return data;
    }

    static List<Path> files(String suffix) throws IOException {
        try (Stream<Path> s = Files.list(NOTEBOOKS)) {
            return s.filter(p -> p.getFileName().toString().endsWith(suffix)).sorted().toList();
        }
    }

    @Test
    void thereIsSomethingToRun() throws IOException {
        assertFalse(files(".ipynb").isEmpty(), "no notebooks in " + NOTEBOOKS);
        assertFalse(files(".jsh").isEmpty(), "no scripts in " + NOTEBOOKS);
    }

    @Test
    void jupyterListsTheInstalledKernelspec() throws Exception {
        requireJupyter();
        Run r = run(List.of("jupyter", "kernelspec", "list", "--json"),
                Map.of("JUPYTER_PATH", kernelspecDir().toString()), 120);
        assertEquals(0, r.exit(), r.both());
        JsonObject specs = JsonParser.parseString(r.out()).getAsJsonObject().getAsJsonObject("kernelspecs");
        assertEquals(KernelSpecs.DISPLAY_NAME, specs.getAsJsonObject(AsyncdiffKernel.NAME).getAsJsonObject("spec")
                .get("display_name").getAsString());
    }

    @TestFactory
    Stream<DynamicTest> everyNotebookRunsWithoutACellError() throws IOException {
        return files(".ipynb").stream().map(nb -> DynamicTest.dynamicTest(nb.getFileName().toString(), () -> {
            requireJupyter();
            Path out = Files.createDirectories(work.resolve("executed"));
            Run r = run(List.of("jupyter", "nbconvert", "--to", "notebook", "--execute",
                            "--ExecutePreprocessor.timeout=300",
                            "--ExecutePreprocessor.kernel_name=" + AsyncdiffKernel.NAME,
                            "--output-dir", out.toString(), nb.toString()),
                    Map.of("CI", "1", "JUPYTER_PATH", kernelspecDir().toString()), 600);
            assertEquals(0, r.exit(), r.both());
            JsonObject executed = JsonParser.parseString(Files.readString(out.resolve(nb.getFileName())))
                    .getAsJsonObject();
            List<String> errors = new ArrayList<>();
            for (JsonElement cell : executed.getAsJsonArray("cells")) {
                JsonObject c = cell.getAsJsonObject();
                if (c.has("outputs")) {
                    for (JsonElement o : c.getAsJsonArray("outputs")) {
                        if (o.getAsJsonObject().get("output_type").getAsString().equals("error")) {
                            errors.add(o.toString());
                        }
                    }
                }
            }
            assertTrue(errors.isEmpty(), errors::toString);
            assertExportsToHtml(out.resolve(nb.getFileName()), "executed");
        }));
    }

    @TestFactory
    Stream<DynamicTest> everyStoredNotebookExportsToHtml() throws IOException {
        return files(".ipynb").stream().map(nb -> DynamicTest.dynamicTest(nb.getFileName().toString(), () -> {
            requireJupyter();
            assertExportsToHtml(nb, "stored");
        }));
    }

    /**
     * {@code jupyter nbconvert --to html} succeeds on the notebook and writes a page holding its first cell's first
     * line. Debian's nbconvert refuses some outputs that Jupyter displays, such as an SVG with an XML declaration.
     */
    static void assertExportsToHtml(Path notebook, String kind) throws Exception {
        Path out = Files.createDirectories(work.resolve("html-" + kind));
        Run r = run(List.of("jupyter", "nbconvert", "--to", "html", "--output-dir", out.toString(),
                notebook.toString()), Map.of(), 300);
        assertEquals(0, r.exit(), r.both());
        String name = notebook.getFileName().toString();
        String html = Files.readString(out.resolve(name.substring(0, name.length() - ".ipynb".length()) + ".html"));
        JsonObject first = JsonParser.parseString(Files.readString(notebook)).getAsJsonObject()
                .getAsJsonArray("cells").get(0).getAsJsonObject();
        String line = first.getAsJsonArray("source").get(0).getAsString().replaceFirst("^#+\\s*", "").strip();
        assertTrue(html.contains(line), "the HTML export of " + notebook + " lacks \"" + line + "\"");
    }

    @TestFactory
    Stream<DynamicTest> everyScriptRunsThroughTheShell() throws IOException {
        return files(".jsh").stream().map(script -> DynamicTest.dynamicTest(script.getFileName().toString(), () -> {
            List<String> command = new ArrayList<>(KernelSpecs.argv());
            command.set(command.size() - 1, "shell");
            command.add(script.toString());
            Run r = run(command, Map.of("CI", "1"), 300);
            assertEquals(0, r.exit(), r.both());
        }));
    }
}
