package dev.asyncdiff.rl;

import ai.djl.ndarray.NDManager;
import dev.asyncdiff.Pipeline;
import dev.asyncdiff.io.AtomicFiles;
import dev.asyncdiff.io.CheckpointFolders;
import dev.asyncdiff.io.CsvRow;
import dev.asyncdiff.io.Safetensors;
import dev.asyncdiff.reward.CompositeReward;
import dev.asyncdiff.reward.Reward;
import dev.asyncdiff.tpm.Tpm;
import dev.asyncdiff.tpm.TpmConfig;
import dev.asyncdiff.tpm.TpmPolicy;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;

/**
 * A TPM trained by GRPO from start to {@code iterations}, resumable: after every {@code checkpointEvery} iterations
 * (and at the end) {@code OUT/checkpoint/} holds the TPM, the optimizer state and the iteration (the prompt order and
 * every draw derive from the seed and the iteration, so nothing else needs saving), written atomically; {@code
 * OUT/log.csv} gets one row per iteration and {@code OUT/tpm/} the trained TPM. A resumed run continues the same
 * sequence: its log rows and final weights equal an uninterrupted run's (apart from the timing columns).
 */
public final class TpmTraining {
    /** The columns of {@code log.csv} before the per-reward means. */
    public static final List<String> COLUMNS = List.of("iteration", "prompt", "reward_mean", "reward_std",
            "zero_spread", "ratio_dev_first", "clip_frac", "approx_kl", "grad_norm", "mean_deviation",
            "seconds_rollout", "seconds_reward", "seconds_update");

    /** Told after every iteration, e.g. to draw a progress bar or a live chart. */
    public interface Listener {
        void iteration(Grpo.Iteration it, Map<String, Double> rewardMeans);
    }

    private final Pipeline base;
    private final String backbone;
    private final List<String> prompts;
    private final List<Reward> rewards;
    private final Grpo.Options options;
    private final long seed;
    private final Path out;
    private final int checkpointEvery;

    public TpmTraining(Pipeline base, String backbone, List<String> prompts, List<Reward> rewards, Grpo.Options options,
                       long seed, Path out, int checkpointEvery) {
        if (prompts.isEmpty()) {
            throw new IllegalArgumentException("the TPM needs at least one training prompt");
        }
        if (checkpointEvery < 1) {
            throw new IllegalArgumentException("checkpoints every " + checkpointEvery + " iterations: must be ≥ 1");
        }
        this.base = base;
        this.backbone = backbone;
        this.prompts = List.copyOf(prompts);
        this.rewards = List.copyOf(rewards);
        this.options = options;
        this.seed = seed;
        this.out = out;
        this.checkpointEvery = checkpointEvery;
    }

    /** Trains (or resumes) up to {@code iterations} in total; returns the folder of the trained TPM. */
    public Path run(int iterations, boolean resume, Listener listener, PrintStream log) throws IOException {
        Files.createDirectories(out);
        Path ckpt = out.resolve("checkpoint");
        CheckpointFolders.recover(ckpt);
        try (NDManager manager = NDManager.newBaseManager()) {
            boolean resuming = resume && Files.exists(ckpt.resolve("state.txt"));
            if (resume && !resuming) {
                log.println("no checkpoint in " + ckpt + "; starting from scratch");
            }
            Tpm tpm = resuming ? Tpm.load(manager, ckpt) : Tpm.initialize(manager,
                    TpmConfig.forModel(backbone, base.model()), seed);
            TpmPolicy sampling = TpmPolicy.of(tpm, backbone, base.model(), TpmPolicy.Choice.SAMPLE, "tpm:training");
            Grpo grpo = new Grpo(base, sampling, options, seed);
            int start = 0;
            if (resuming) {
                grpo.optimizer().importState(Safetensors.decode(Files.readAllBytes(ckpt.resolve("optimizer.safetensors"))),
                        "");
                start = Integer.parseInt(Files.readString(ckpt.resolve("state.txt")).strip());
                truncateLog(start);
            } else {
                Files.writeString(out.resolve("log.csv"), String.join(",", header()) + "\n");
            }
            CompositeReward composite = CompositeReward.of(rewards);
            for (int i = start; i < iterations; i++) {
                String prompt = promptOf(i);
                Map<String, Double> means = new LinkedHashMap<>();
                Grpo.Iteration it = grpo.iteration(i, prompt, g -> {
                    Map<String, double[]> raw = composite.scoreEach(g.images(), g.prompts());
                    raw.forEach((name, s) -> means.put(name, java.util.Arrays.stream(s).average().orElseThrow()));
                    return composite.combine(raw);
                });
                appendLog(it, means);
                listener.iteration(it, means);
                if ((i + 1) % checkpointEvery == 0 || i + 1 == iterations) {
                    checkpoint(tpm, grpo, i + 1, ckpt);
                }
            }
            Path fin = out.resolve("tpm");
            tpm.save(fin);
            return fin;
        }
    }

    /**
     * The prompt of an iteration: the prompts are walked in a fresh seeded order every epoch, so every prompt is
     * drawn once per epoch and a resumed run draws the same ones.
     */
    String promptOf(int iteration) {
        int epoch = iteration / prompts.size();
        List<String> order = new ArrayList<>(prompts);
        Collections.shuffle(order, new Random(seed * 31 + epoch));
        return order.get(iteration % prompts.size());
    }

    private List<String> header() {
        List<String> h = new ArrayList<>(COLUMNS);
        rewards.forEach(r -> h.add("reward_" + r.name() + "_mean"));
        return h;
    }

    private void appendLog(Grpo.Iteration it, Map<String, Double> means) throws IOException {
        List<String> f = new ArrayList<>(List.of(String.valueOf(it.iteration()), it.prompt(),
                num(it.rewardMean()), num(it.rewardStd()), it.zeroSpread() ? "1" : "0", num(it.ratioDevFirst()),
                num(it.clipFraction()), num(it.approxKl()), num(it.gradNorm()), num(it.meanDeviation()),
                num(it.secondsRollout()), num(it.secondsReward()), num(it.secondsUpdate())));
        rewards.forEach(r -> f.add(num(means.get(r.name()))));
        Files.writeString(out.resolve("log.csv"), CsvRow.of(f) + "\n", StandardCharsets.UTF_8,
                java.nio.file.StandardOpenOption.APPEND);
    }

    /** A resumed run drops log rows past its checkpoint (iterations it will do again). */
    private void truncateLog(int iterations) throws IOException {
        Path p = out.resolve("log.csv");
        List<String> lines = Files.exists(p) ? Files.readAllLines(p) : List.of(String.join(",", header()));
        AtomicFiles.write(p, (String.join("\n", lines.subList(0, Math.min(lines.size(), iterations + 1))) + "\n")
                .getBytes(StandardCharsets.UTF_8));
    }

    private static void checkpoint(Tpm tpm, Grpo grpo, int done, Path ckpt) throws IOException {
        Path tmp = ckpt.resolveSibling("checkpoint.tmp");
        CheckpointFolders.delete(tmp);
        tpm.save(tmp);
        Map<String, Safetensors.Tensor> opt = new LinkedHashMap<>();
        grpo.optimizer().exportState(opt, "");
        AtomicFiles.write(tmp.resolve("optimizer.safetensors"), Safetensors.encode(opt));
        AtomicFiles.write(tmp.resolve("state.txt"), (done + "\n").getBytes(StandardCharsets.UTF_8));
        CheckpointFolders.swapIn(tmp, ckpt);
    }


    private static String num(double v) {
        return String.format(Locale.ROOT, "%.6g", v);
    }
}
