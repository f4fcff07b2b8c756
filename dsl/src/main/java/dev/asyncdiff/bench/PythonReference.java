package dev.asyncdiff.bench;

import dev.asyncdiff.io.Safetensors;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStreamWriter;
import java.io.Writer;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * The independent PyTorch reference of the tiny model's denoiser, {@value #SCRIPT} in the repository, run as a
 * subprocess by Debian's interpreter {@value #DEBIAN_PYTHON} (where apt-get installs python3-torch) when it exists,
 * else by {@code python3} on the PATH. Failures are IllegalStateExceptions whose message is one line saying what to
 * do.
 */
public final class PythonReference {
    public static final String SCRIPT = "bench/tiny_reference.py";
    static final String DEBIAN_PYTHON = "/usr/bin/python3";
    static final String INSTALL = "install Debian's python3-torch: apt-get install python3-torch";
    /** Far longer than the few seconds a parity run takes on two cores, even under load. */
    private static final long PARITY_TIMEOUT_SECONDS = 600;

    private final Path script;

    private PythonReference(Path script) {
        this.script = script;
    }

    /**
     * The script in the repository holding this code (found above the CLI jar or the build's classes folder) or
     * above the working directory.
     */
    public static PythonReference locate() {
        return new PythonReference(find(SCRIPT));
    }

    /**
     * A script of the repository, by its path there (such as {@value #SCRIPT}), found above the CLI jar or the build's
     * classes folder, or above the working directory.
     */
    public static Path find(String script) {
        List<Path> starts = List.of(codeLocation(), Path.of("").toAbsolutePath());
        for (Path start : starts) {
            for (Path dir = start; dir != null; dir = dir.getParent()) {
                Path candidate = dir.resolve(script);
                if (Files.isRegularFile(candidate)) {
                    return candidate;
                }
            }
        }
        throw new IllegalStateException("cannot find " + script + " above " + starts.get(0) + " or the working "
                + "directory; run from a checkout of the asyncdiff repository");
    }

    /** Debian's interpreter, where apt-get installs python3-torch, when it exists; else python3 on the PATH. */
    public static String interpreter() {
        return Files.isExecutable(Path.of(DEBIAN_PYTHON)) ? DEBIAN_PYTHON : "python3";
    }

    private static Path codeLocation() {
        try {
            return Path.of(PythonReference.class.getProtectionDomain().getCodeSource().getLocation().toURI())
                    .toAbsolutePath();
        } catch (URISyntaxException e) {
            throw new IllegalStateException("cannot tell where the asyncdiff classes were loaded from: "
                    + e.getMessage());
        }
    }

    /**
     * Runs {@code --weights WEIGHTS parity DIR}: reads {@code DIR/inputs.safetensors}, writes
     * {@code DIR/reference.safetensors}.
     * Returns the PyTorch version the reference ran on.
     */
    public String parity(Path dir, Path weights) {
        Path out = dir.resolve("reference-stdout.log");
        Path err = dir.resolve("reference-stderr.log");
        Process p = start(List.of("--weights", weights.toString(), "parity", dir.toString()),
                ProcessBuilder.Redirect.to(out.toFile()), err);
        try {
            p.getOutputStream().close();
            if (!p.waitFor(PARITY_TIMEOUT_SECONDS, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                throw new IllegalStateException(SCRIPT + " parity did not finish within " + PARITY_TIMEOUT_SECONDS
                        + " s");
            }
            if (p.exitValue() != 0) {
                throw failure(p.exitValue(), err);
            }
            return torchVersion(Files.readAllLines(out, StandardCharsets.UTF_8), err);
        } catch (IOException e) {
            throw new IllegalStateException("cannot read what " + SCRIPT + " printed: " + e.getMessage());
        } catch (InterruptedException e) {
            p.destroyForcibly();
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while " + SCRIPT + " ran");
        }
    }

    /**
     * Starts {@code --weights WEIGHTS throughput --serve} on {@code DIR/sampling.safetensors}: the process loads the
     * weights (the same file the Java side runs: without it the script would read the shipped ones), samples
     * once as a warm-up (writing {@code DIR/sampled_reference.safetensors}) and then times one sampling run per
     * {@link Server#run()}.
     */
    public Server serve(Path dir, Path weights, int steps, double cfg, int threads) {
        Path err = dir.resolve("reference-stderr.log");
        Process p = start(List.of("--weights", weights.toString(), "throughput", "--serve", "--inputs", dir.toString(), "--steps",
                Integer.toString(steps), "--cfg", Double.toString(cfg), "--threads", Integer.toString(threads)),
                ProcessBuilder.Redirect.PIPE, err);
        return new Server(p, err);
    }

    /** A running throughput process; each {@link #run()} is one timed sampling run on the Python side. */
    public static final class Server implements AutoCloseable {
        private final Process process;
        private final Path err;
        private final BufferedReader out;
        private final Writer in;
        private final String torchVersion;

        private Server(Process process, Path err) {
            this.process = process;
            this.err = err;
            this.out = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8));
            this.in = new OutputStreamWriter(process.getOutputStream(), StandardCharsets.UTF_8);
            try {
                this.torchVersion = PythonReference.torchVersion(List.of(line()), err);
            } catch (RuntimeException e) {
                process.destroyForcibly();
                throw e;
            }
        }

        public String torchVersion() {
            return torchVersion;
        }

        /** Seconds of one sampling run, as the Python side timed it. */
        public double run() {
            try {
                in.write("run\n");
                in.flush();
            } catch (IOException e) {
                throw failure(exitOf(process), err);
            }
            String l = line();
            if (!l.startsWith("seconds ")) {
                throw new IllegalStateException(SCRIPT + " answered '" + l + "' instead of 'seconds S'");
            }
            return Double.parseDouble(l.substring("seconds ".length()));
        }

        private String line() {
            try {
                String l = out.readLine();
                if (l == null) {
                    throw failure(exitOf(process), err);
                }
                return l;
            } catch (IOException e) {
                throw new IllegalStateException("lost contact with " + SCRIPT + ": " + e.getMessage());
            }
        }

        @Override
        public void close() {
            try {
                in.close();
                if (!process.waitFor(30, TimeUnit.SECONDS)) {
                    process.destroyForcibly();
                }
            } catch (IOException e) {
                process.destroyForcibly();
            } catch (InterruptedException e) {
                process.destroyForcibly();
                Thread.currentThread().interrupt();
            }
        }
    }

    /** A safetensors file the reference wrote. */
    static Map<String, Safetensors.Tensor> read(Path file) {
        try {
            return Safetensors.decode(Files.readAllBytes(file));
        } catch (IOException e) {
            throw new IllegalStateException("cannot read " + file + ", which " + SCRIPT + " should have written: "
                    + e.getMessage());
        }
    }

    static float[] data(Map<String, Safetensors.Tensor> tensors, String name) {
        Safetensors.Tensor t = tensors.get(name);
        if (t == null) {
            throw new IllegalStateException(SCRIPT + " wrote no tensor " + name);
        }
        return t.data();
    }

    private Process start(List<String> args, ProcessBuilder.Redirect out, Path err) {
        String python = interpreter();
        List<String> command = new ArrayList<>(List.of(python, script.toString()));
        command.addAll(args);
        try {
            return new ProcessBuilder(command).redirectOutput(out).redirectError(err.toFile()).start();
        } catch (IOException e) {
            throw new IllegalStateException("cannot run " + python + " (" + e.getMessage() + "); " + INSTALL);
        }
    }

    private static int exitOf(Process p) {
        try {
            return p.waitFor(30, TimeUnit.SECONDS) ? p.exitValue() : -1;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return -1;
        }
    }

    /** The script's own last line of diagnostics (its error), or its exit status when it printed none. */
    private static IllegalStateException failure(int exit, Path err) {
        String last;
        try {
            last = Files.readAllLines(err, StandardCharsets.UTF_8).stream().filter(l -> !l.isBlank())
                    .reduce((a, b) -> b).orElse("").strip();
        } catch (IOException e) {
            last = "";
        }
        return new IllegalStateException(SCRIPT + ": " + (last.isEmpty() ? "exited with status " + exit : last));
    }

    private static String torchVersion(List<String> lines, Path err) {
        for (String l : lines) {
            if (l.startsWith("torch ")) {
                return l.substring("torch ".length()).strip();
            }
        }
        throw new IllegalStateException(SCRIPT + " did not report its torch version; see " + err);
    }
}
