package dev.asyncdiff.kernel;

import com.google.gson.GsonBuilder;
import com.google.gson.JsonArray;
import com.google.gson.JsonObject;

import java.io.IOException;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.stream.Stream;

/**
 * The kernelspec ("Java (asyncdiff)"): writes it where {@code jupyter kernelspec install} would put it and removes
 * it again. Locations follow jupyter_core: {@code --user} the user's data directory, {@code --sys-prefix} Python's
 * sys.prefix, {@code --prefix P} P, and by default the system directory /usr/local/share/jupyter; kernelspecs live
 * in {@code <location>/kernels/<name>}.
 */
final class KernelSpecs {
    static final String DISPLAY_NAME = "Java (asyncdiff)";
    static final String KERNEL_JSON = "kernel.json";
    /** Every JVM the project starts runs headless and offline. */
    static final List<String> JVM_FLAGS = List.of("-Djava.awt.headless=true", "-Dai.djl.offline=true");
    /**
     * JIT and GC settings for an interactive kernel on a small machine, chosen with {@code asyncdiff bench kernel
     * --compare} (2 cores, side by side, medians): C1 only compiles javac (JShell's compiler) quickly instead of
     * spending the few cores on C2 while cells wait, which took a trivial cell from 35.5 to 20.4 ms (ratio 0.58) and
     * start-up from 1.18 to 0.89 s; the serial collector beats G1 on two cores for every cell measured, and a
     * Java-heavy cell (400-step GMM sampling of 8,192 points) took 1,463 ms against 2,169 ms with the JVM's defaults
     * (C2 with the serial collector: 1,165 ms). {@code kernel install --java-options} replaces them.
     */
    static final String TUNING = "-XX:+UseSerialGC -XX:TieredStopAtLevel=1";
    /**
     * The kernel's environment, as the {@code asyncdiff} launcher sets it for every other JVM of the project (its
     * comments give the measurements): PyTorch's OpenMP workers wait passively instead of spinning, and glibc keeps
     * PyTorch's freed buffers mapped instead of returning them to the kernel each step. Jupyter starts the kernel
     * without the launcher, so the kernelspec carries them.
     */
    static final Map<String, String> ENV = new TreeMap<>(Map.of("OMP_WAIT_POLICY", "PASSIVE",
            "MALLOC_TRIM_THRESHOLD_", "8000000000", "MALLOC_TOP_PAD_", "536870912",
            "MALLOC_MMAP_THRESHOLD_", "4000000000"));
    static final List<String> TUNING_FLAGS = List.of(TUNING.split(" "));

    private KernelSpecs() {
    }

    /** Where to install: the data directory whose kernels/ folder receives the spec. */
    sealed interface Location {
        Path dataDir() throws IOException;

        record User() implements Location {
            @Override
            public Path dataDir() {
                return userDataDir();
            }
        }

        record SysPrefix() implements Location {
            @Override
            public Path dataDir() throws IOException {
                return pythonPrefix().resolve("share").resolve("jupyter");
            }
        }

        record Prefix(Path prefix) implements Location {
            @Override
            public Path dataDir() {
                return prefix.toAbsolutePath().normalize().resolve("share").resolve("jupyter");
            }
        }

        record SystemWide() implements Location {
            @Override
            public Path dataDir() {
                return windows() ? Path.of(java.lang.System.getenv().getOrDefault("PROGRAMDATA", "C:\\ProgramData"),
                        "jupyter") : Path.of("/usr/local/share/jupyter");
            }
        }
    }

    /** The command Jupyter runs: this JVM's java, the project's flags, and this jar (or this class path in tests). */
    static List<String> argv() {
        return argv(TUNING_FLAGS);
    }

    /** As {@link #argv()}, with other JVM options in place of {@link #TUNING_FLAGS}. */
    static List<String> argv(List<String> tuning) {
        List<String> argv = new ArrayList<>();
        argv.add(Path.of(java.lang.System.getProperty("java.home"), "bin", "java").toString());
        argv.addAll(JVM_FLAGS);
        argv.addAll(tuning);
        Path jar = ownJar();
        if (jar != null) {
            argv.add("-jar");
            argv.add(jar.toString());
        } else {
            argv.add("-cp");
            argv.add(ClassPath.join(ClassPath.ofThisJvm()));
            argv.add(Main.class.getName());
        }
        argv.add("{connection_file}");
        return argv;
    }

    /** A kernelspec argv made ready to start as Jupyter would: the connection file filled in, {@link #ENV} set. */
    static ProcessBuilder process(List<String> argv, Path connectionFile) {
        List<String> command = new ArrayList<>(argv);
        command.replaceAll(a -> a.equals("{connection_file}") ? connectionFile.toString() : a);
        ProcessBuilder pb = new ProcessBuilder(command);
        pb.environment().putAll(ENV);
        return pb;
    }

    /** The kernel.json for an argv. */
    static String specJson(List<String> argv) {
        JsonObject spec = new JsonObject();
        JsonArray a = new JsonArray();
        argv.forEach(a::add);
        spec.add("argv", a);
        spec.addProperty("display_name", DISPLAY_NAME);
        spec.addProperty("language", "java");
        spec.addProperty("interrupt_mode", "message");
        JsonObject env = new JsonObject();
        ENV.forEach(env::addProperty);
        spec.add("env", env);
        JsonObject metadata = new JsonObject();
        metadata.addProperty("debugger", false);
        spec.add("metadata", metadata);
        return new GsonBuilder().setPrettyPrinting().disableHtmlEscaping().create().toJson(spec) + "\n";
    }

    /** Writes {@code <dataDir>/kernels/<name>/kernel.json}, replacing an earlier one; returns its directory. */
    static Path install(Path dataDir, String name, List<String> argv) throws IOException {
        Path dir = dataDir.resolve("kernels").resolve(name);
        Files.createDirectories(dir);
        Files.writeString(dir.resolve(KERNEL_JSON), specJson(argv), StandardCharsets.UTF_8);
        return dir;
    }

    /** Removes the kernelspec from each data directory that has it; returns the directories removed. */
    static List<Path> uninstall(List<Path> dataDirs, String name) throws IOException {
        List<Path> removed = new ArrayList<>();
        for (Path data : dataDirs) {
            Path dir = data.resolve("kernels").resolve(name);
            if (Files.isRegularFile(dir.resolve(KERNEL_JSON))) {
                try (Stream<Path> files = Files.walk(dir)) {
                    for (Path p : files.sorted(Comparator.reverseOrder()).toList()) {
                        Files.delete(p);
                    }
                }
                removed.add(dir);
            }
        }
        return removed;
    }

    /** Where Jupyter looks for kernelspecs, in its order: JUPYTER_PATH, the user's directory, the system's. */
    static List<Path> searchPath() {
        Set<Path> dirs = new LinkedHashSet<>();
        String jupyterPath = java.lang.System.getenv("JUPYTER_PATH");
        if (jupyterPath != null) {
            for (String p : jupyterPath.split(java.io.File.pathSeparator)) {
                if (!p.isBlank()) {
                    dirs.add(Path.of(p));
                }
            }
        }
        dirs.add(userDataDir());
        try {
            dirs.add(new Location.SysPrefix().dataDir());
        } catch (IOException e) {
            // No Python: Jupyter is not installed either, so there is no sys.prefix location to search.
        }
        dirs.add(new Location.SystemWide().dataDir());
        if (!windows()) {
            dirs.add(Path.of("/usr/share/jupyter"));
        }
        return new ArrayList<>(dirs);
    }

    static Path userDataDir() {
        String env = java.lang.System.getenv("JUPYTER_DATA_DIR");
        if (env != null && !env.isBlank()) {
            return Path.of(env);
        }
        Path home = Path.of(java.lang.System.getProperty("user.home"));
        String os = java.lang.System.getProperty("os.name", "").toLowerCase(Locale.ROOT);
        if (os.contains("mac")) {
            return home.resolve("Library").resolve("Jupyter");
        }
        if (windows()) {
            return Path.of(java.lang.System.getenv().getOrDefault("APPDATA", home.toString()), "jupyter");
        }
        String xdg = java.lang.System.getenv("XDG_DATA_HOME");
        return (xdg != null && !xdg.isBlank() ? Path.of(xdg) : home.resolve(".local").resolve("share"))
                .resolve("jupyter");
    }

    /** Python's sys.prefix, of the Python that runs {@code jupyter} (its script's #! line), else of python3. */
    static Path pythonPrefix() throws IOException {
        List<String> command = new ArrayList<>(jupyterPython());
        command.addAll(List.of("-c", "import sys; print(sys.prefix)"));
        Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim();
        try {
            if (p.waitFor() != 0 || out.isEmpty()) {
                throw new IOException(String.join(" ", command) + " could not tell its sys.prefix (" + out + ")");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted while asking Python for sys.prefix", e);
        }
        return Path.of(out);
    }

    private static List<String> jupyterPython() {
        String path = java.lang.System.getenv().getOrDefault("PATH", "");
        for (String dir : path.split(java.io.File.pathSeparator)) {
            Path jupyter = Path.of(dir.isEmpty() ? "." : dir, "jupyter");
            if (Files.isRegularFile(jupyter) && Files.isExecutable(jupyter)) {
                try (Stream<String> lines = Files.lines(jupyter)) {
                    String first = lines.findFirst().orElse("");
                    if (first.startsWith("#!")) {
                        return List.of(first.substring(2).trim().split("\\s+"));
                    }
                } catch (IOException | java.io.UncheckedIOException e) {
                    // Not a readable script: fall back to python3.
                }
            }
        }
        return List.of("python3");
    }

    /** The jar this class was loaded from, or null when it runs from a class directory (tests). */
    static Path ownJar() {
        try {
            Path p = Path.of(Main.class.getProtectionDomain().getCodeSource().getLocation().toURI());
            return Files.isRegularFile(p) && p.toString().endsWith(".jar") ? p.toAbsolutePath().normalize() : null;
        } catch (URISyntaxException | SecurityException e) {
            return null;
        }
    }

    private static boolean windows() {
        return java.lang.System.getProperty("os.name", "").toLowerCase(Locale.ROOT).startsWith("windows");
    }
}
