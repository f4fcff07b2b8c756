package dev.asyncdiff.cli;

import com.google.gson.Gson;
import com.google.gson.GsonBuilder;
import com.google.gson.JsonElement;
import com.google.gson.JsonNull;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import dev.asyncdiff.Pipeline;
import dev.asyncdiff.bench.BackboneSetup;
import dev.asyncdiff.bench.Discrepancy;
import dev.asyncdiff.bench.PassResult;
import dev.asyncdiff.bench.ProcMemory;
import dev.asyncdiff.bench.PythonReference;
import dev.asyncdiff.io.AtomicFiles;
import dev.asyncdiff.io.Safetensors;
import dev.asyncdiff.model.checkpoint.BackboneLayout;
import dev.asyncdiff.model.checkpoint.ComponentConfig;
import dev.asyncdiff.model.checkpoint.Manifest;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import java.util.function.Function;

/**
 * One denoiser forward pass of a real backbone's transformer with random weights of its real shapes, in Java and in
 * the PyTorch reference side by side. Each side runs in a child process of its own, one after the other, so that
 * each peak-memory figure is that side's alone and the two never hold the weights at once. Before anything is
 * allocated the memory a side needs is compared with what the machine has available; a pass that does not fit is
 * one line and exit code {@value #DOES_NOT_FIT}, never a crash or swapping.
 */
@Command(name = "backbone", mixinStandardHelpOptions = true,
        description = "Time one forward pass of SD3.5-medium's or Flux.1-dev's transformer with random weights of the "
                + "real shapes (no checkpoint), in Java and in the PyTorch reference (bench/reference/"
                + "bench_backbone.py), each in its own child process: time after a warm-up, achieved GFLOP/s as a "
                + "fraction of the same process's matrix-product rate, peak resident memory.",
        exitCodeListHeading = "Exit codes:%n",
        exitCodeList = {"0:both sides measured", "1:a side failed (its messages are above)",
                "2:bad input", "3:the pass needs more memory than this machine has available; nothing was run"})
final class BenchBackboneCommand implements Callable<Integer> {
    /** The exit code of a pass that does not fit in the available memory: not a failure, not bad input. */
    static final int DOES_NOT_FIT = 3;
    static final String SCRIPT = "bench/reference/bench_backbone.py";
    private static final double GIB = 1L << 30;

    @Option(names = "--backbone", required = true, paramLabel = "sd35|flux",
            description = "sd35 (SD3.5-medium's transformer) or flux (Flux.1-dev's)")
    String backbone;

    @Option(names = "--synthetic", required = true,
            description = "random weights of the real shapes, drawn on each side (the only mode: no checkpoint)")
    boolean synthetic;

    @Option(names = "--image-size", defaultValue = "512", paramLabel = "PX",
            description = "side of the square image, a multiple of 16 (default: ${DEFAULT-VALUE})")
    int imageSize;

    @Option(names = "--batch", defaultValue = "1", paramLabel = "B", description = "samples per pass (default: "
            + "${DEFAULT-VALUE})")
    int batch;

    @Option(names = "--repeats", defaultValue = "1", paramLabel = "N",
            description = "timed passes per side after one warm-up; the median counts (default: ${DEFAULT-VALUE})")
    int repeats;

    @Option(names = "--threads", paramLabel = "N",
            description = "torch threads on both sides (default: the available processors)")
    Integer threads;

    @Option(names = "--seed", defaultValue = "" + Pipeline.DEFAULT_SEED, paramLabel = "SEED",
            description = "seed of each side's random weights and inputs (default: ${DEFAULT-VALUE})")
    long seed;

    @Option(names = "--config", paramLabel = "FILE",
            description = "a transformer config.json of the backbone's class to use instead of the published one")
    Path config;

    @Option(names = "--out", paramLabel = "FILE.json", description = "also write the results as JSON, atomically")
    Path out;

    @Spec
    CommandSpec spec;

    /** Tests stand in a memory figure for MemAvailable. */
    @Option(names = "--assume-available-bytes", hidden = true, paramLabel = "BYTES")
    Long assumeAvailable;

    @Override
    public Integer call() throws IOException, InterruptedException {
        if (out != null) {
            OutputFile.check(out, "backbone.json");
        }
        BackboneLayout layout = BackboneLayout.parse(backbone);
        BackboneSetup setup = new BackboneSetup(layout, config == null ? BackboneSetup.published(layout).config()
                : readConfig(config), imageSize, batch, repeats,
                threads == null ? Runtime.getRuntime().availableProcessors() : threads, seed);
        long available = available();
        describe(setup, available);
        JsonObject report = report(setup, available);
        if (!fits(setup, available)) {
            write(report);
            return DOES_NOT_FIT;
        }
        Path script = PythonReference.find(SCRIPT);
        Path dir = Files.createTempDirectory("asyncdiff-bench-backbone");
        try {
            Path setupFile = dir.resolve("setup.json");
            Files.writeString(setupFile, setup.toJson());
            PassResult java = side("Java", dir, ChildJvm.command(List.of(), List.of("bench", "backbone-pass",
                    "--setup", setupFile.toString(), "--result", dir.resolve("Java.json").toString(),
                    "--velocity", dir.resolve("Java.safetensors").toString())));
            if (java == null) {
                return 1;
            }
            report.add("java", side(java, setup));
            long left = available();
            if (!fits(setup, left)) {
                report.addProperty("available_bytes", left);
                report.addProperty("fits", false);
                table(setup, java, null, null);
                write(report);
                return DOES_NOT_FIT;
            }
            PassResult python = side("Python", dir, List.of(PythonReference.interpreter(), script.toString(),
                    setupFile.toString(), dir.resolve("Python.json").toString(),
                    dir.resolve("Python.safetensors").toString()));
            if (python == null) {
                return 1;
            }
            report.add("python", side(python, setup));
            Discrepancy velocity = Discrepancy.between(velocity(dir, "Java"), velocity(dir, "Python"));
            report.addProperty("velocity_max_rel", velocity.maxRel());
            table(setup, java, python, velocity);
            write(report);
            return 0;
        } finally {
            OutputFolder.deleteTree(dir);
        }
    }

    private long available() {
        return assumeAvailable != null ? assumeAvailable : ProcMemory.availableBytes();
    }

    private static ComponentConfig readConfig(Path file) {
        try {
            return ComponentConfig.parse(file, Files.readString(file));
        } catch (IOException e) {
            throw new IllegalArgumentException("--config " + file + " cannot be read (" + e.getMessage() + ")");
        }
    }

    private static void describe(BackboneSetup s, long available) {
        Manifest m = s.manifest();
        System.out.printf(Locale.ROOT, "bench backbone: %s, random weights of the real shapes, FP32, torch "
                + "threads: %d%n", s.title(), s.threads());
        System.out.printf(Locale.ROOT, "  %dx%d, batch %d: %,d image tokens + %,d text tokens of width %,d, pooled "
                        + "%,d%s%n", s.imageSize(), s.imageSize(), s.batch(), s.imageTokens(), s.textTokens(),
                s.textWidth(), s.pooledWidth(), Double.isNaN(s.guidance()) ? ""
                        : String.format(Locale.ROOT, ", guidance %.1f", s.guidance()));
        System.out.printf(Locale.ROOT, "  %,d parameters%s; %.3e FLOPs per pass (matrix products, "
                        + "bench/FlopCount.java)%n", m.parameters(),
                m.buffers() == 0 ? "" : String.format(Locale.ROOT, " + %,d stored (position table)", m.buffers()),
                s.flops());
        System.out.printf(Locale.ROOT, "  memory: each side needs %s; %.2f GiB available (MemAvailable)%n", need(s),
                available / GIB);
    }

    private static String need(BackboneSetup s) {
        return String.format(Locale.ROOT, "about %.2f GiB (weights %.2f GiB in FP32, one block's working memory "
                        + "%.2f GiB, runtime %.2f GiB)", s.requiredBytes() / GIB, s.weightBytes() / GIB,
                s.workingBytes() / GIB, BackboneSetup.RUNTIME_BYTES / GIB);
    }

    /** Whether a side's pass fits in {@code available} bytes; when not, says so in one line on stderr. */
    private boolean fits(BackboneSetup s, long available) {
        if (s.requiredBytes() <= available) {
            return true;
        }
        err().printf(Locale.ROOT, "bench backbone: %s needs %s but only %.2f GiB is available (MemAvailable); "
                + "nothing was run: use a machine with more memory, or a smaller --config%n", s.title(), need(s),
                available / GIB);
        return false;
    }

    private PrintWriter err() {
        return spec.commandLine().getErr();
    }

    /** The last velocity a side wrote. */
    private static float[] velocity(Path dir, String side) throws IOException {
        return Safetensors.decode(Files.readAllBytes(dir.resolve(side + ".safetensors"))).get("v").data();
    }

    /**
     * Runs one side's child process (its files in {@code dir} are named after it); its result, or null after saying
     * on stderr that it failed.
     */
    private PassResult side(String name, Path dir, List<String> command) throws IOException, InterruptedException {
        int exit = ChildJvm.run(command);
        Path result = dir.resolve(name + ".json");
        if (exit != 0 || !Files.isRegularFile(result)) {
            err().printf(Locale.ROOT, "bench backbone: the %s side failed (exit code %d%s); its messages are "
                    + "above%n", name, exit, exit == 137 ? ", killed: out of memory?" : "");
            return null;
        }
        return PassResult.fromJson(JsonParser.parseString(Files.readString(result)).getAsJsonObject());
    }

    /** What the report records of the setup: everything but the tensor list. */
    private static JsonObject report(BackboneSetup s, long available) {
        JsonObject o = JsonParser.parseString(s.toJson()).getAsJsonObject();
        o.remove("tensors");
        o.addProperty("title", s.title());
        o.addProperty("image_tokens", s.imageTokens());
        o.addProperty("parameters", s.manifest().parameters());
        o.addProperty("buffers", s.manifest().buffers());
        o.addProperty("flops_per_pass", s.flops());
        o.addProperty("required_bytes", s.requiredBytes());
        o.addProperty("available_bytes", available);
        o.addProperty("fits", s.requiredBytes() <= available);
        o.add("java", JsonNull.INSTANCE);
        o.add("python", JsonNull.INSTANCE);
        return o;
    }

    /** A side's result with the rates derived from the setup's FLOPs. */
    private static JsonElement side(PassResult r, BackboneSetup s) {
        JsonObject o = r.toJson();
        o.addProperty("seconds", r.seconds());
        o.addProperty("gflops", r.gflops(s.flops()));
        o.addProperty("matmul_fraction", r.matmulFraction(s.flops()));
        return o;
    }

    private static void table(BackboneSetup s, PassResult java, PassResult python, Discrepancy velocity) {
        List<PassResult> sides = new ArrayList<>(List.of(java));
        if (python != null) {
            sides.add(python);
        }
        System.out.println();
        row(String.format(Locale.ROOT, "one warm-up, median of %d timed", s.repeats()), sides,
                PassResult::implementation);
        row("forward pass (s)", sides, r -> number("%.2f", r.seconds()));
        row("achieved GFLOP/s", sides, r -> number("%.1f", r.gflops(s.flops())));
        int[] mm = s.matmul();
        row(String.format(Locale.ROOT, "matmul [%dx%d]x[%dx%d] (GFLOP/s)", mm[0], mm[1], mm[1], mm[2]), sides,
                r -> number("%.1f", r.matmulGflops()));
        row("achieved / matmul rate", sides, r -> number("%.3f", r.matmulFraction(s.flops())));
        row("peak resident memory, VmHWM (GiB)", sides, r -> number("%.2f", r.peakBytes() / GIB));
        row("random weights drawn (s)", sides, r -> number("%.1f", r.weightsSeconds()));
        row("output RMS (finite; no parity)", sides, r -> number("%.3g", r.outputRms()));
        if (python != null) {
            System.out.printf(Locale.ROOT, "Java / Python forward time: %.3f%n", java.seconds() / python.seconds());
            System.out.printf(Locale.ROOT, "velocity, Java vs Python: max rel difference %.2e (both sides draw from "
                    + "torch's generator seeded alike; small only where the two torch versions draw alike)%n",
                    velocity.maxRel());
        } else {
            System.out.println("Python: not run (see above)");
        }
    }

    private static void row(String label, List<PassResult> sides, Function<PassResult, String> cell) {
        StringBuilder line = new StringBuilder(String.format(Locale.ROOT, "%-40s", label));
        for (PassResult r : sides) {
            line.append(String.format(Locale.ROOT, " %24s", cell.apply(r)));
        }
        System.out.println(line);
    }

    private static String number(String format, double value) {
        return String.format(Locale.ROOT, format, value);
    }

    private void write(JsonObject report) throws IOException {
        if (out != null) {
            Gson gson = new GsonBuilder().setPrettyPrinting().serializeNulls().create();
            AtomicFiles.write(out, gson.toJson(report).getBytes(StandardCharsets.UTF_8));
        }
    }
}
