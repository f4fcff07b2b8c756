package dev.asyncdiff.cli;

import dev.asyncdiff.sample.StepCallback;
import me.tongfei.progressbar.ProgressBar;
import me.tongfei.progressbar.ProgressBarBuilder;
import me.tongfei.progressbar.ProgressBarStyle;

/** A terminal progress bar (with ETA) on stderr that advances once per sampler step of a batch. */
final class StepProgress implements AutoCloseable {
    private final ProgressBar bar;

    StepProgress(String task, long totalSteps) {
        this.bar = new ProgressBarBuilder().setTaskName(task).setInitialMax(totalSteps)
                .setStyle(ProgressBarStyle.ASCII).setConsumer(new me.tongfei.progressbar.ConsoleProgressBarConsumer(
                        System.err)).setUpdateIntervalMillis(250).build();
    }

    /** Total steps for {@code samples} samples in batches of {@code batch}, K steps each. */
    static long totalSteps(int samples, int batch, int steps) {
        return (long) ((samples + batch - 1) / batch) * steps;
    }

    StepCallback callback() {
        return e -> {
            bar.step();
            return true;
        };
    }

    @Override
    public void close() {
        bar.close();
    }
}
