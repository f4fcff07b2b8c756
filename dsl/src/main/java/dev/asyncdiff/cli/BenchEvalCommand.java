package dev.asyncdiff.cli;

import dev.asyncdiff.Generation;
import dev.asyncdiff.Pipeline;
import dev.asyncdiff.data.PromptSets;
import dev.asyncdiff.reward.Reward;
import dev.asyncdiff.reward.Rewards;
import dev.asyncdiff.bench.Median;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;

/**
 * Evaluation throughput on the tiny backbone: sampling a batch of val prompts and scoring it with each reward,
 * alternated in one run, so the share of time spent in rewards is a ratio of times measured side by side.
 */
@Command(name = "eval", mixinStandardHelpOptions = true,
        description = "Time an evaluation on the tiny backbone: images per second including scoring, and the share of "
                + "time spent in rewards (sampling and each reward's scoring alternated in one run).")
final class BenchEvalCommand implements Callable<Integer> {
    /** The target: rewards take at most this share of an evaluation's time at tiny scale. */
    static final double TARGET_REWARD_SHARE = 0.15;

    @Option(names = "--images", defaultValue = "64", paramLabel = "N",
            description = "val prompts sampled and scored per run, one image each (default: ${DEFAULT-VALUE})")
    int images;

    @Option(names = "--steps", defaultValue = "10", paramLabel = "K", description = "sampling steps (default: "
            + "${DEFAULT-VALUE})")
    int steps;

    @Option(names = "--rewards", paramLabel = "R1,R2", description = "the rewards (default: every registered one)")
    String rewards;

    @Option(names = "--reps", defaultValue = "3", paramLabel = "N", description = "timed runs (default: "
            + "${DEFAULT-VALUE}); medians are reported")
    int reps;

    @Override
    public Integer call() {
        if (images < 1 || steps < 1 || reps < 1) {
            throw new IllegalArgumentException("--images, --steps and --reps must all be at least 1 (got " + images
                    + ", " + steps + ", " + reps + ")");
        }
        List<Reward> scorers = RewardSpecs.parse(rewards == null ? String.join(",", Rewards.names()) : rewards);
        List<String> prompts = PromptSets.load("shapes:all:val:" + images).prompts();
        Pipeline p = Pipeline.tiny().steps(steps);
        Generation warm = p.generate(prompts.subList(0, Math.min(4, prompts.size())), 1);
        scorers.forEach(r -> r.score(warm.images(), warm.prompts()));

        double[] sampling = new double[reps];
        Map<String, double[]> scoring = new LinkedHashMap<>();
        scorers.forEach(r -> scoring.put(r.name(), new double[reps]));
        for (int rep = 0; rep < reps; rep++) {
            long t0 = System.nanoTime();
            Generation g = p.generate(prompts, 1);
            sampling[rep] = (System.nanoTime() - t0) / 1e9;
            for (Reward r : scorers) {
                long t1 = System.nanoTime();
                r.score(g.images(), g.prompts());
                scoring.get(r.name())[rep] = (System.nanoTime() - t1) / 1e9;
            }
        }
        double sample = Median.of(sampling);
        double reward = scoring.values().stream().mapToDouble(Median::of).sum();
        double share = reward / (sample + reward);
        System.out.printf(Locale.ROOT, "eval benchmark: %d val prompts, 1 image each, %d steps, CFG 5, batch %d; "
                + "medians of %d runs%n", prompts.size(), steps, p.batchSize(), reps);
        System.out.printf(Locale.ROOT, "%-34s %10.3f s  %8.2f ms/image%n", "sampling (decoding included)", sample,
                1e3 * sample / prompts.size());
        scoring.forEach((name, s) -> System.out.printf(Locale.ROOT, "%-34s %10.3f s  %8.2f ms/image%n",
                "scoring: " + name, Median.of(s), 1e3 * Median.of(s) / prompts.size()));
        System.out.printf(Locale.ROOT, "%-34s %10.2f%n", "images per second, scoring included",
                prompts.size() / (sample + reward));
        System.out.printf(Locale.ROOT, "%-34s %10.3f  target ≤ %.2f  %s%n", "share of time in rewards", share,
                TARGET_REWARD_SHARE, share <= TARGET_REWARD_SHARE ? "yes" : "NO");
        return 0;
    }
}
