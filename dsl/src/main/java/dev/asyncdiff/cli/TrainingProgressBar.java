package dev.asyncdiff.cli;

import dev.asyncdiff.rl.TrainingListener;
import me.tongfei.progressbar.ProgressBar;
import me.tongfei.progressbar.ProgressBarBuilder;
import me.tongfei.progressbar.ProgressBarStyle;

import java.time.Duration;
import java.util.Locale;

/**
 * TPM training's terminal progress bar on stderr: iterations with ETA (a resumed run's bar starts at its checkpoint,
 * so the ETA counts only this run's speed), the group's composite reward and mean deviation.
 */
final class TrainingProgressBar implements TrainingListener, AutoCloseable {
    private ProgressBar bar;

    @Override
    public void started(int done, int total) {
        bar = new ProgressBarBuilder().setTaskName("GRPO").setInitialMax(total).setStyle(ProgressBarStyle.ASCII)
                .setConsumer(new me.tongfei.progressbar.ConsoleProgressBarConsumer(System.err))
                .setUpdateIntervalMillis(1000).setMaxRenderedLength(110).startsFrom(done, Duration.ZERO).showSpeed()
                .build();
    }

    @Override
    public void iteration(Record record) {
        bar.stepTo(record.grpo().iteration() + 1);
        bar.setExtraMessage(String.format(Locale.ROOT, "reward %.3f D %+.3f", record.grpo().rewardMean(),
                record.grpo().meanDeviation()));
    }

    @Override
    public void close() {
        if (bar != null) {
            bar.close();
        }
    }
}
