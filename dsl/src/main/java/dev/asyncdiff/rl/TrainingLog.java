package dev.asyncdiff.rl;

import dev.asyncdiff.io.AtomicFiles;
import dev.asyncdiff.io.CsvRow;
import dev.asyncdiff.reward.Reward;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * {@code log.csv} of a TPM training run as a listener: a header at the start, one row per iteration (appended, so a
 * stopped run keeps what it did), and on resuming the rows past the checkpoint dropped (the run does them again).
 */
public final class TrainingLog implements TrainingListener {
    /** The columns before the optional KL column and the per-reward means. */
    public static final List<String> COLUMNS = List.of("iteration", "prompt", "reward_mean", "reward_std",
            "zero_spread", "ratio_dev_first", "clip_frac", "approx_kl", "grad_norm", "mean_deviation",
            "seconds_rollout", "seconds_reward", "seconds_update");
    /** The column after {@link #COLUMNS} with a KL penalty: the KL to the initial policy ({@link Grpo.Iteration#klInit}). */
    public static final String KL_COLUMN = "kl_init";

    private final Path file;
    private final List<String> rewardNames;
    private final boolean kl;

    /** @param kl whether the run has a KL penalty (then {@link #KL_COLUMN} is logged) */
    public TrainingLog(Path file, List<Reward> rewards, boolean kl) {
        this.file = file;
        this.rewardNames = rewards.stream().map(Reward::name).toList();
        this.kl = kl;
    }

    public List<String> header() {
        List<String> h = new ArrayList<>(COLUMNS);
        if (kl) {
            h.add(KL_COLUMN);
        }
        rewardNames.forEach(n -> h.add("reward_" + n + "_mean"));
        return h;
    }

    @Override
    public void started(int done, int total) {
        try {
            List<String> lines = done > 0 && Files.exists(file) ? Files.readAllLines(file)
                    : List.of(String.join(",", header()));
            AtomicFiles.write(file, (String.join("\n", lines.subList(0, Math.min(lines.size(), done + 1))) + "\n")
                    .getBytes(StandardCharsets.UTF_8));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Override
    public void iteration(Record record) {
        Grpo.Iteration it = record.grpo();
        List<String> f = new ArrayList<>(List.of(String.valueOf(it.iteration()), it.prompt(),
                num(it.rewardMean()), num(it.rewardStd()), it.zeroSpread() ? "1" : "0", num(it.ratioDevFirst()),
                num(it.clipFraction()), num(it.approxKl()), num(it.gradNorm()), num(it.meanDeviation()),
                num(it.secondsRollout()), num(it.secondsReward()), num(it.secondsUpdate())));
        if (kl) {
            f.add(num(it.klInit()));
        }
        rewardNames.forEach(n -> f.add(num(record.rewardMeans().get(n))));
        try {
            Files.writeString(file, CsvRow.of(f) + "\n", StandardCharsets.UTF_8, StandardOpenOption.APPEND);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static String num(double v) {
        return String.format(Locale.ROOT, "%.6g", v);
    }
}
