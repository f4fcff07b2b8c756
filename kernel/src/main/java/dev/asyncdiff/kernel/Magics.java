package dev.asyncdiff.kernel;

import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;

import java.io.BufferedReader;
import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.PrintStream;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * The kernel's magics. Line magics: {@code %time code}, {@code %classpath [paths]}, {@code %load file},
 * {@code %lsmagic}. Cell magics: {@code %%time}, {@code %%shell}. All run on the evaluation thread.
 */
final class Magics {
    @FunctionalInterface
    interface Line {
        CellResult run(CellEvaluator cells, String args, int line, String source) throws Exception;
    }

    @FunctionalInterface
    interface Cell {
        CellResult run(CellEvaluator cells, String args, String body, int bodyFirstLine, String source)
                throws Exception;
    }

    private final Map<String, Line> lineMagics = new TreeMap<>();
    private final Map<String, Cell> cellMagics = new TreeMap<>();

    Magics() {
        lineMagics.put("time", (cells, args, line, source) -> timed(() -> cells.runCode(args, line, source)));
        lineMagics.put("classpath", (cells, args, line, source) -> classpath(cells, args));
        lineMagics.put("load", (cells, args, line, source) -> load(cells, args));
        lineMagics.put("lsmagic", (cells, args, line, source) -> {
            System.out.println("line magics: %" + String.join("  %", lineMagics.keySet()));
            System.out.println("cell magics: %%" + String.join("  %%", cellMagics.keySet()));
            return CellResult.NONE;
        });
        cellMagics.put("time", (cells, args, body, first, source) -> timed(() -> cells.runCell(body, source)));
        cellMagics.put("shell", (cells, args, body, first, source) -> shell(cells, body));
    }

    List<String> lineNames() {
        return List.copyOf(lineMagics.keySet());
    }

    List<String> cellNames() {
        return List.copyOf(cellMagics.keySet());
    }

    CellResult runLine(CellEvaluator cells, CellPart.LineMagic m, String source) throws Exception {
        Line magic = lineMagics.get(m.name());
        if (magic == null) {
            throw unknown("%" + m.name());
        }
        return magic.run(cells, m.args(), m.line(), source);
    }

    CellResult runCell(CellEvaluator cells, CellPart.CellMagic m, String source) throws Exception {
        Cell magic = cellMagics.get(m.name());
        if (magic == null) {
            throw unknown("%%" + m.name());
        }
        return magic.run(cells, m.args(), m.body(), m.bodyFirstLine(), source);
    }

    private static CellFailure unknown(String name) {
        String message = name + " is not a magic of this kernel; %lsmagic lists them";
        return new CellFailure("UnknownMagic", message, List.of("UnknownMagic: " + message));
    }

    @FunctionalInterface
    private interface Work {
        CellResult run() throws Exception;
    }

    /** Runs the work and prints its wall-clock and CPU time (of the evaluation thread), as IPython's %time does. */
    static CellResult timed(Work work) throws Exception {
        ThreadMXBean threads = ManagementFactory.getThreadMXBean();
        long cpu0 = threads.getCurrentThreadCpuTime();
        long t0 = System.nanoTime();
        try {
            return work.run();
        } finally {
            long wall = System.nanoTime() - t0;
            long cpu = threads.getCurrentThreadCpuTime() - cpu0;
            System.out.println("Wall time: " + duration(wall) + " (CPU of the evaluation thread: " + duration(cpu)
                    + ")");
        }
    }

    static String duration(long nanos) {
        if (nanos >= 1_000_000_000L) {
            return String.format("%.2f s", nanos / 1e9);
        }
        if (nanos >= 1_000_000L) {
            return String.format("%.1f ms", nanos / 1e6);
        }
        return String.format("%.0f µs", nanos / 1e3);
    }

    /** Without arguments, prints the class path; otherwise adds jars or directories ({@code dir/*} = its jars). */
    private static CellResult classpath(CellEvaluator cells, String args) throws IOException {
        if (args.isBlank()) {
            cells.classPath().forEach(System.out::println);
            return CellResult.NONE;
        }
        for (String token : args.trim().split("[\\s" + File.pathSeparator + "]+")) {
            for (Path entry : expand(unquote(token))) {
                cells.addToClasspath(entry);
                System.out.println("added to the class path: " + entry);
            }
        }
        return CellResult.NONE;
    }

    private static List<Path> expand(String token) throws IOException {
        List<Path> out = new ArrayList<>();
        if (token.endsWith("/*")) {
            Path dir = existing(token.substring(0, token.length() - 2));
            try (DirectoryStream<Path> jars = Files.newDirectoryStream(dir, "*.jar")) {
                jars.forEach(p -> out.add(p.toAbsolutePath().normalize()));
            }
            out.sort(null);
        } else {
            out.add(existing(token));
        }
        return out;
    }

    private static Path existing(String name) throws NoSuchFileException {
        Path p = Path.of(name).toAbsolutePath().normalize();
        if (!Files.exists(p)) {
            throw new NoSuchFileException(name, null, "no such file or directory (relative paths start at "
                    + Path.of("").toAbsolutePath() + ")");
        }
        return p;
    }

    /**
     * Evaluates a .java or .jsh file, or the code cells of a notebook, in this kernel's state. Errors name the
     * file and line.
     */
    private static CellResult load(CellEvaluator cells, String args) throws Exception {
        if (args.isBlank()) {
            throw new IllegalArgumentException(
                    "%load needs a file: %load script.jsh, %load Model.java or %load other.ipynb");
        }
        Path file = existing(unquote(args.trim()));
        String name = file.getFileName().toString();
        if (name.endsWith(".ipynb")) {
            List<String> code = notebookCode(file);
            for (int i = 0; i < code.size(); i++) {
                cells.runCell(code.get(i), name + " code cell " + (i + 1));
            }
        } else {
            cells.runCell(Files.readString(file), name);
        }
        return CellResult.NONE;
    }

    /** The sources of a notebook's code cells, in order. */
    static List<String> notebookCode(Path notebook) throws IOException {
        JsonObject nb = JsonParser.parseString(Files.readString(notebook)).getAsJsonObject();
        List<String> out = new ArrayList<>();
        for (JsonElement c : nb.getAsJsonArray("cells")) {
            JsonObject cell = c.getAsJsonObject();
            if ("code".equals(cell.get("cell_type").getAsString())) {
                JsonElement src = cell.get("source");
                if (src.isJsonArray()) {
                    StringBuilder sb = new StringBuilder();
                    for (JsonElement line : (JsonArray) src) {
                        sb.append(line.getAsString());
                    }
                    out.add(sb.toString());
                } else {
                    out.add(src.getAsString());
                }
            }
        }
        return out;
    }

    /** Runs the cell body with bash (sh where bash is missing), streaming its output; a non-zero exit is an error. */
    private static CellResult shell(CellEvaluator cells, String body) throws Exception {
        String sh = Files.isExecutable(Path.of("/bin/bash")) ? "/bin/bash" : "/bin/sh";
        Process p = new ProcessBuilder(sh, "-c", body)
                .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null"))).start();
        Thread out = pump(p.getInputStream(), System.out);
        Thread err = pump(p.getErrorStream(), System.err);
        int status;
        try {
            status = cells.interruptibly(p::waitFor);
        } catch (InterruptedException e) {
            p.descendants().forEach(ProcessHandle::destroyForcibly);
            p.destroyForcibly();
            throw CellFailure.interrupted(null, id -> null);
        } finally {
            out.join(2000);
            err.join(2000);
        }
        if (status != 0) {
            String message = "the shell command exited with status " + status;
            throw new CellFailure("ShellError", message, List.of("ShellError: " + message));
        }
        return CellResult.NONE;
    }

    private static Thread pump(InputStream in, PrintStream to) {
        Thread t = new Thread(() -> {
            try (BufferedReader r = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8))) {
                String line;
                while ((line = r.readLine()) != null) {
                    to.println(line);
                }
            } catch (IOException e) {
                // The process went away; what it wrote has been passed on.
            }
        }, "asyncdiff-shell-output");
        t.setDaemon(true);
        t.start();
        return t;
    }

    private static String unquote(String s) {
        return s.length() >= 2 && (s.startsWith("\"") && s.endsWith("\"") || s.startsWith("'") && s.endsWith("'"))
                ? s.substring(1, s.length() - 1) : s;
    }
}
