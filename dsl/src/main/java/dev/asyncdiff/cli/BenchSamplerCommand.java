package dev.asyncdiff.cli;

import dev.asyncdiff.bench.SamplerBenchmark;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.util.concurrent.Callable;

/** Sampler loop overhead per step and the async/sync time ratio. */
@Command(name = "sampler", mixinStandardHelpOptions = true,
        description = "Per-step loop overhead (model excluded) and the async-over-sync time ratio on the GMM.")
final class BenchSamplerCommand implements Callable<Integer> {
    static final double TARGET_OVERHEAD_MICROS = 50.0;
    static final double TARGET_RATIO = 1.02;

    @Option(names = "--batch", defaultValue = "16", description = "batch size (default: ${DEFAULT-VALUE})",
            paramLabel = "B")
    int batch;

    @Option(names = "--steps", defaultValue = "10", description = "Euler steps (default: ${DEFAULT-VALUE})",
            paramLabel = "K")
    int steps;

    @Option(names = "--dim", defaultValue = "1024", description = "latent size, 1024 = the tiny model's 4x16x16 "
            + "(default: ${DEFAULT-VALUE})", paramLabel = "D")
    int dim;

    @Option(names = "--reps", defaultValue = "200", description = "timed repetitions (default: ${DEFAULT-VALUE})",
            paramLabel = "N")
    int reps;

    @Override
    public Integer call() {
        if (batch < 1 || steps < 1 || dim < 1 || reps < 1) {
            throw new IllegalArgumentException("--batch, --steps, --dim and --reps must all be at least 1");
        }
        SamplerBenchmark.Result r = SamplerBenchmark.run(batch, steps, dim, reps);
        System.out.printf("sampler benchmark: batch %d, %d steps, latent size %d, CFG 5, %d repetitions (medians)%n",
                batch, steps, dim, reps);
        System.out.printf("%-38s %12s %10s %6s%n", "measure", "value", "target", "ok");
        row("loop overhead, sync (us/step)", r.overheadSyncMicros(), "<= 50", r.overheadSyncMicros() <= TARGET_OVERHEAD_MICROS);
        row("loop overhead, async (us/step)", r.overheadAsyncMicros(), "<= 50", r.overheadAsyncMicros() <= TARGET_OVERHEAD_MICROS);
        row("gmm run, sync (ms)", r.gmmSyncMillis(), "", true);
        row("gmm run, async fixed:+0.3 (ms)", r.gmmAsyncMillis(), "", true);
        row("async / sync time ratio", r.ratio(), "<= 1.02", r.ratio() <= TARGET_RATIO);
        return 0;
    }

    private static void row(String name, double value, String target, boolean ok) {
        System.out.printf("%-38s %12.4f %10s %6s%n", name, value, target, target.isEmpty() ? "" : (ok ? "yes" : "NO"));
    }
}
