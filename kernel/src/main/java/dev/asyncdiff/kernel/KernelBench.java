package dev.asyncdiff.kernel;

import com.google.gson.JsonObject;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.TimeUnit;

/**
 * {@code asyncdiff bench kernel}: starts the kernel as Jupyter would (the kernelspec's command on a fresh connection
 * file) and measures, from a ZeroMQ client, the time from process start to kernel_info_reply, the first cell (which
 * waits for JShell's start-up) and the median round trip of a trivial cell (execute_request to idle) after some
 * warm-up cells, as in a session that has been running for a little while. Nearly all of a trivial cell's time is
 * JShell compiling it, and javac speeds up severalfold as the JIT warms, hence the warm-up.
 */
final class KernelBench {
    static final double START_TARGET_S = 3.0;
    static final double CELL_TARGET_MS = 50.0;
    static final String TRIVIAL_CELL = "1 + 1";

    record Result(double startSeconds, double firstCellSeconds, String cell, int warmup, double[] cellMillis) {
        double medianMillis() {
            return median(cellMillis);
        }

        String table() {
            return String.format(Locale.ROOT, """
                    measure                                                measured    target
                    start to kernel_info_reply                             %6.2f s    ≤ %.0f s
                    first cell (waits for JShell start-up)                 %6.2f s
                    cell "%s", median of %d after %d warm-up %8.1f ms   ≤ %.0f ms for "1 + 1"
                    (%d cores, load average %.1f)""",
                    startSeconds, START_TARGET_S, firstCellSeconds, cell, cellMillis.length, warmup,
                    medianMillis(), CELL_TARGET_MS, Runtime.getRuntime().availableProcessors(),
                    ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage());
        }
    }

    private KernelBench() {
    }

    static Result run(String cell, int warmup, int cells) throws IOException, InterruptedException {
        return run(cell, warmup, cells, KernelSpecs.TUNING_FLAGS);
    }

    static double median(double[] values) {
        double[] s = values.clone();
        Arrays.sort(s);
        return s.length % 2 == 1 ? s[s.length / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
    }

    /** One kernel, started with {@code tuning} in place of the kernelspec's tuning flags. */
    static Result run(String cell, int warmup, int cells, List<String> tuning)
            throws IOException, InterruptedException {
        Path dir = Files.createTempDirectory("asyncdiff-bench");
        ConnectionFile connection = ConnectionFile.fresh();
        Path file = dir.resolve("connection.json");
        connection.write(file);
        Path log = dir.resolve("kernel.log");
        try (KernelClient client = new KernelClient(connection)) {
            long t0 = System.nanoTime();
            Process kernel = KernelSpecs.process(KernelSpecs.argv(tuning), file).redirectErrorStream(true)
                    .redirectOutput(log.toFile()).start();
            try {
                String id = client.request("kernel_info_request", new JsonObject());
                awaitStart(client, id, kernel, log);
                double start = (System.nanoTime() - t0) / 1e9;
                client.awaitReady(10_000);
                long f0 = System.nanoTime();
                client.execute(cell, 120_000);
                double first = (System.nanoTime() - f0) / 1e9;
                for (int i = 0; i < warmup; i++) {
                    client.execute(cell, 30_000);
                }
                double[] times = new double[cells];
                for (int i = 0; i < cells; i++) {
                    long c0 = System.nanoTime();
                    KernelClient.Execution e = client.execute(cell, 30_000);
                    times[i] = (System.nanoTime() - c0) / 1e6;
                    if (!e.status().equals("ok")) {
                        throw new IllegalStateException("the cell failed: " + e.reply().content());
                    }
                }
                client.controlReply(client.controlRequest("shutdown_request", restart(false)), 5000);
                return new Result(start, first, cell, warmup, times);
            } finally {
                if (!kernel.waitFor(10, TimeUnit.SECONDS)) {
                    kernel.destroyForcibly();
                }
            }
        }
    }

    /** Waits for the kernel_info_reply; a kernel that exits first is reported at once with its log's last line. */
    private static void awaitStart(KernelClient client, String id, Process kernel, Path log) throws IOException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        while (client.shellReply(id, 250) == null) {
            if (!kernel.isAlive()) {
                List<String> lines = Files.readAllLines(log);
                throw new IllegalStateException("the kernel exited with code " + kernel.exitValue() + " before "
                        + "replying: " + (lines.isEmpty() ? "(no output)" : lines.get(lines.size() - 1)));
            }
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException("the kernel did not start within 60 s; its log: " + log);
            }
        }
    }

    private static JsonObject restart(boolean restart) {
        JsonObject o = new JsonObject();
        o.addProperty("restart", restart);
        return o;
    }
}
