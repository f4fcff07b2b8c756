package dev.asyncdiff.rl;

import ai.djl.ndarray.NDManager;
import com.google.gson.JsonArray;
import com.google.gson.JsonObject;
import dev.asyncdiff.Pipeline;
import dev.asyncdiff.data.PromptSet;
import dev.asyncdiff.io.AtomicFiles;
import dev.asyncdiff.io.CheckpointFolders;
import dev.asyncdiff.io.Safetensors;
import dev.asyncdiff.model.tiny.TinyFlowModel;
import dev.asyncdiff.model.tiny.WeightsIdentity;
import dev.asyncdiff.reward.CompositeReward;
import dev.asyncdiff.reward.Reward;
import dev.asyncdiff.tpm.Tpm;
import dev.asyncdiff.tpm.TpmConfig;
import dev.asyncdiff.tpm.TpmPolicy;
import dev.asyncdiff.tpm.TpmProvenance;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;

/**
 * A TPM trained by GRPO from start to {@code iterations}, resumable: after every {@code checkpointEvery} iterations
 * (and at the end, or when a time limit stops the run) {@code OUT/checkpoint/} holds the TPM, the optimizer state and
 * the iteration (the prompt order and every draw derive from the seed and the iteration, so nothing else needs
 * saving), written atomically; {@code OUT/log.csv} gets one row per iteration ({@link TrainingLog}, one of the run's
 * listeners) and {@code OUT/tpm/} the trained TPM. Both TPMs carry their training record ({@link TpmProvenance}: base
 * weights, bound, recipe, iterations done). A resumed run continues the same sequence: its log rows and final weights
 * equal an uninterrupted run's (apart from the timing columns); resuming with other settings than the checkpoint's is
 * refused.
 */
public final class TpmTraining {
    private final Pipeline base;
    private final String backbone;
    private final PromptSet prompts;
    private final List<Reward> rewards;
    private final Grpo.Options options;
    private final long seed;
    private final Path out;
    private final int checkpointEvery;

    /**
     * @param base the backbone's pipeline with the grid, steps, guidance and bound to train for
     */
    public TpmTraining(Pipeline base, String backbone, PromptSet prompts, List<Reward> rewards, Grpo.Options options,
                       long seed, Path out, int checkpointEvery) {
        if (checkpointEvery < 1) {
            throw new IllegalArgumentException("checkpoints every " + checkpointEvery + " iterations: must be ≥ 1");
        }
        this.base = base;
        this.backbone = backbone;
        this.prompts = prompts;
        this.rewards = List.copyOf(rewards);
        this.options = options;
        this.seed = seed;
        this.out = out;
        this.checkpointEvery = checkpointEvery;
    }

    /** Trains (or resumes) up to {@code iterations} in total; returns the folder of the trained TPM. */
    public Path run(int iterations, boolean resume, TrainingListener listener, PrintStream log) throws IOException {
        return run(iterations, null, resume, listener, log);
    }

    /**
     * As {@link #run(int, boolean, TrainingListener, PrintStream)}, stopping after the first iteration that ends
     * past {@code limit} of wall-clock time (null: no limit): it checkpoints, writes the TPM as far as it got (its
     * record says how many iterations) and returns; a run with {@code resume} continues from there.
     */
    public Path run(int iterations, Duration limit, boolean resume, TrainingListener listener, PrintStream log)
            throws IOException {
        long deadline = limit == null ? Long.MAX_VALUE : System.nanoTime() + limit.toNanos();
        Files.createDirectories(out);
        Path ckpt = out.resolve("checkpoint");
        CheckpointFolders.recover(ckpt);
        try (NDManager manager = NDManager.newBaseManager()) {
            boolean resuming = resume && Files.exists(ckpt.resolve("state.txt"));
            if (resume && !resuming) {
                log.println("no checkpoint in " + ckpt + "; starting from scratch");
            }
            // the initial TPM derives from the seed alone, so a resumed run recreates the KL penalty's reference
            Tpm initial = Tpm.initialize(manager, TpmConfig.forModel(backbone, base.model()), seed);
            Tpm tpm = resuming ? Tpm.load(manager, ckpt) : initial.copy(manager);
            TpmProvenance record = provenance(0);
            if (resuming) {
                tpm.provenance().flatMap(before -> before.differenceFrom(record)).ifPresent(d -> {
                    throw new IllegalArgumentException("cannot resume the checkpoint in " + ckpt + " with other "
                            + "settings (" + d + "); resume with its settings, or train into a new --out");
                });
            }
            TpmPolicy sampling = TpmPolicy.of(tpm, backbone, base.model(), TpmPolicy.Choice.SAMPLE, "tpm:training");
            Grpo grpo = new Grpo(base, sampling, initial, options, seed);
            int start = 0;
            if (resuming) {
                grpo.optimizer().importState(Safetensors.decode(Files.readAllBytes(ckpt.resolve("optimizer.safetensors"))),
                        "");
                start = Integer.parseInt(Files.readString(ckpt.resolve("state.txt")).strip());
            }
            TrainingListener listeners = TrainingListener.all(List.of(
                    new TrainingLog(out.resolve("log.csv"), rewards, options.kl() > 0), listener));
            listeners.started(start, iterations);
            CompositeReward composite = CompositeReward.of(rewards);
            int done = start;
            while (done < iterations) {
                int i = done;
                String prompt = promptOf(i);
                Map<String, Double> means = new LinkedHashMap<>();
                Grpo.Iteration it = grpo.iteration(i, prompt, g -> {
                    Map<String, double[]> raw = composite.scoreEach(g.images(), g.prompts());
                    raw.forEach((name, s) -> means.put(name, java.util.Arrays.stream(s).average().orElseThrow()));
                    return composite.combine(raw);
                });
                listeners.iteration(new TrainingListener.Record(iterations, it, means));
                done = i + 1;
                boolean stop = done < iterations && System.nanoTime() >= deadline;
                if (done % checkpointEvery == 0 || done == iterations || stop) {
                    checkpoint(tpm.withProvenance(record.withIterations(done)), grpo, done, ckpt);
                }
                if (stop) {
                    log.println("time limit reached after iteration " + done + " of " + iterations
                            + "; checkpointed, continue with --resume");
                    break;
                }
            }
            Path fin = out.resolve("tpm");
            tpm.withProvenance(record.withIterations(done)).save(fin);
            return fin;
        }
    }

    /** The training record of this run after {@code done} iterations. */
    private TpmProvenance provenance(int done) {
        JsonObject recipe = new JsonObject();
        recipe.addProperty("prompts", prompts.spec().toString());
        JsonArray names = new JsonArray();
        rewards.forEach(r -> names.add(r.name()));
        recipe.add("rewards", names);
        recipe.addProperty("schedule", base.schedule().spec());
        recipe.addProperty("steps", base.steps());
        recipe.addProperty("guidance", base.guidance().spec());
        recipe.addProperty("gamma", base.gamma());
        recipe.addProperty("seed", seed);
        options.toJson().entrySet().forEach(e -> recipe.add(e.getKey(), e.getValue()));
        WeightsIdentity weights = base.model() instanceof TinyFlowModel t ? t.weights().orElse(null) : null;
        return new TpmProvenance(weights, base.bound(), done, recipe);
    }

    /**
     * The prompt of an iteration: the prompts are walked in a fresh seeded order every epoch, so every prompt is
     * drawn once per epoch and a resumed run draws the same ones.
     */
    String promptOf(int iteration) {
        int epoch = iteration / prompts.size();
        List<String> order = new ArrayList<>(prompts.prompts());
        Collections.shuffle(order, new Random(seed * 31 + epoch));
        return order.get(iteration % prompts.size());
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
}
