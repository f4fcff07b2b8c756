package dev.asyncdiff.cli;

import dev.asyncdiff.Generation;
import dev.asyncdiff.Pipeline;
import dev.asyncdiff.data.PromptSet;
import dev.asyncdiff.eval.ComparisonSummary;
import dev.asyncdiff.eval.Evaluation;
import dev.asyncdiff.eval.Method;
import dev.asyncdiff.reward.Reward;
import dev.asyncdiff.sample.StepCallback;
import dev.asyncdiff.sample.StepEvent;
import me.tongfei.progressbar.ProgressBar;
import me.tongfei.progressbar.ProgressBarBuilder;
import me.tongfei.progressbar.ProgressBarStyle;

import java.io.IOException;
import java.util.List;

/** A terminal progress bar (with ETA) on stderr that advances once per sampler step of a batch. */
final class StepProgress implements StepCallback, AutoCloseable {
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

    /** Generates n samples of each prompt with a progress bar named {@code task}. */
    static Generation generate(String task, Pipeline p, List<String> prompts, int n) {
        try (StepProgress progress = new StepProgress(task, totalSteps(prompts.size() * n, p.batchSize(), p.steps()))) {
            return p.onStep(progress).generate(prompts, n);
        }
    }

    /**
     * Runs an evaluation's pending cells under one bar over all their sampler steps, then prints what the evaluation
     * reported (resumed and finished cells, figures) below the bar.
     */
    static ComparisonSummary evaluate(String task, Evaluation e, Pipeline base, PromptSet prompts, int n,
                                      List<Integer> steps, List<Method> methods, List<Reward> rewards)
            throws IOException {
        long total = e.pendingSteps(prompts.size(), n, base.batchSize(), steps, methods);
        List<String> notes = new java.util.ArrayList<>();
        try (StepProgress progress = new StepProgress(task, total)) {
            return e.run(base.onStep(progress), prompts, n, steps, methods, rewards, notes::add);
        } finally {
            notes.forEach(System.err::println);
        }
    }

    @Override
    public boolean onStep(StepEvent e) {
        bar.step();
        return true;
    }

    @Override
    public void close() {
        bar.close();
    }
}
