package dev.asyncdiff.cli;

import dev.asyncdiff.Pipeline;
import dev.asyncdiff.policy.Policies;
import dev.asyncdiff.bench.Median;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.util.concurrent.Callable;

/** Sampling time of the embedded tiny model: a batch of 16 images at 10 steps with CFG 5, sync and async side by side. */
@Command(name = "tiny", mixinStandardHelpOptions = true,
        description = "Time sampling a batch on the embedded tiny model (sync and async fixed:+0.3 alternating).")
final class BenchTinyCommand implements Callable<Integer> {
    static final double TARGET_SECONDS = 2.0;

    @Option(names = "--weights", paramLabel = "DIR", description = "tiny weights from train-base (an export or a "
            + "checkpoint folder; default: the shipped ones)")
    java.nio.file.Path weights;

    @Option(names = "--images", defaultValue = "16", description = "images per run (default: ${DEFAULT-VALUE})",
            paramLabel = "N")
    int images;

    @Option(names = "--steps", defaultValue = "10", description = "Euler steps (default: ${DEFAULT-VALUE})",
            paramLabel = "K")
    int steps;

    @Option(names = "--reps", defaultValue = "5", description = "timed runs per method (default: ${DEFAULT-VALUE})",
            paramLabel = "N")
    int reps;

    @Override
    public Integer call() {
        if (images < 1 || steps < 1 || reps < 1) {
            throw new IllegalArgumentException("--images, --steps and --reps must all be at least 1");
        }
        Pipeline sync = Pipeline.named("tiny", weights).steps(steps).batchSize(images);
        Pipeline async = sync.async(Policies.fixed(0.3));
        String prompt = "a red circle";
        sync.generate(prompt, images);
        async.generate(prompt, images);
        double[] syncSeconds = new double[reps];
        double[] asyncSeconds = new double[reps];
        for (int r = 0; r < reps; r++) {
            syncSeconds[r] = seconds(sync, prompt);
            asyncSeconds[r] = seconds(async, prompt);
        }
        double s = Median.of(syncSeconds);
        double a = Median.of(asyncSeconds);
        System.out.printf("tiny benchmark: %d images, %d steps, CFG 5 (one batch, decoding included), medians of %d%n",
                images, steps, reps);
        System.out.printf("%-34s %10.3f  target < %.1f s  %s%n", "sync (s)", s, TARGET_SECONDS, s < TARGET_SECONDS ? "yes" : "NO");
        System.out.printf("%-34s %10.3f%n", "async fixed:+0.3 (s)", a);
        System.out.printf("%-34s %10.3f%n", "async / sync time ratio", a / s);
        return 0;
    }

    private double seconds(Pipeline p, String prompt) {
        long start = System.nanoTime();
        p.generate(prompt, images);
        return (System.nanoTime() - start) / 1e9;
    }
}
