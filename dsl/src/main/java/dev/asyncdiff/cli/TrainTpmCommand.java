package dev.asyncdiff.cli;

import dev.asyncdiff.Pipeline;
import dev.asyncdiff.data.PromptSet;
import dev.asyncdiff.data.PromptSets;
import dev.asyncdiff.reward.Reward;
import dev.asyncdiff.rl.Grpo;
import dev.asyncdiff.rl.PpoClip;
import dev.asyncdiff.rl.TpmTraining;
import dev.asyncdiff.sample.DeviationBound;
import dev.asyncdiff.tpm.Tpm;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.Callable;

/** Trains a Timestep Prediction Module with GRPO on the embedded backbone; resumable. */
@Command(name = "train-tpm", mixinStandardHelpOptions = true,
        description = "Train a Timestep Prediction Module with GRPO (the diffusion model frozen); log.csv, "
                + "checkpoints and the trained TPM (with a record of how it was trained, in tpm.json) in --out; "
                + "resumable.")
final class TrainTpmCommand implements Callable<Integer> {
    @Option(names = "--backbone", paramLabel = "tiny", defaultValue = "tiny",
            description = "the backbone (default: ${DEFAULT-VALUE}; only tiny decodes images to score so far)")
    String backbone;

    @Option(names = "--weights", paramLabel = "DIR", description = "tiny-model weights from train-base (default: "
            + "the shipped ones)")
    Path weights;

    @Option(names = "--prompts", paramLabel = "SPEC", defaultValue = "shapes:all:train",
            description = "training prompts (see 'asyncdiff prompts --help'; default: ${DEFAULT-VALUE})")
    String prompts;

    @Option(names = "--iterations", paramLabel = "N", defaultValue = "4000",
            description = "total iterations, one prompt each; a resumed run continues to this (default: "
                    + "${DEFAULT-VALUE}, the paper's)")
    int iterations;

    @Option(names = "--group", paramLabel = "G", defaultValue = "16",
            description = "initial noises per prompt (default: ${DEFAULT-VALUE})")
    int group;

    @Option(names = "--minibatch", paramLabel = "M", defaultValue = "4",
            description = "trajectories per update; must divide --group (default: ${DEFAULT-VALUE})")
    int minibatch;

    @Option(names = "--steps", paramLabel = "K", defaultValue = "10",
            description = "sampling steps (default: ${DEFAULT-VALUE})")
    int steps;

    @Option(names = "--lr", paramLabel = "LR", defaultValue = "2e-5",
            description = "Adam's constant learning rate (default: ${DEFAULT-VALUE}, the paper's for Flux)")
    float lr;

    @Option(names = "--clip", paramLabel = "EPS", defaultValue = "" + PpoClip.EPSILON,
            description = "PPO clip range (default: ${DEFAULT-VALUE})")
    double clip;

    @Option(names = "--kl", paramLabel = "BETA", defaultValue = "0",
            description = "weight of a KL penalty towards the initial TPM (k3 estimate per step; logged as kl_init); "
                    + "0 turns it off (default: ${DEFAULT-VALUE})")
    double kl;

    @Option(names = "--adv-clip", paramLabel = "C", defaultValue = "Infinity",
            description = "clip the group-standardised advantages to [-C, C] (default: off)")
    double advClip;

    @Option(names = "--bound", paramLabel = "half|lifted", defaultValue = "half",
            description = "eta = 0.5 + r (half, Eq. 6) or eta = 2r (lifted, Eq. 13) (default: ${DEFAULT-VALUE})")
    String bound;

    @Option(names = "--rewards", paramLabel = "R1,R2", defaultValue = "oracle,hf-noise",
            description = "rewards of the composite (Eq. 16), " + RewardSpecs.HELP + " (default: ${DEFAULT-VALUE})")
    String rewards;

    @Option(names = "--guidance", paramLabel = "W", defaultValue = "5",
            description = "classifier-free guidance scale (default: ${DEFAULT-VALUE})")
    double guidance;

    @Option(names = "--seed", paramLabel = "SEED", defaultValue = "" + Pipeline.DEFAULT_SEED,
            description = "seed of the TPM's initialisation, prompt order, noises and draws (default: ${DEFAULT-VALUE})")
    long seed;

    @Option(names = "--checkpoint-every", paramLabel = "N", defaultValue = "10",
            description = "iterations between checkpoints (default: ${DEFAULT-VALUE})")
    int checkpointEvery;

    @Option(names = "--out", paramLabel = "DIR", defaultValue = "out/train-tpm",
            description = "folder for log.csv, checkpoint/ and the trained tpm/ (default: ${DEFAULT-VALUE})")
    Path out;

    @Option(names = "--resume", description = "continue from the checkpoint in --out (with the settings it was "
            + "trained with; others are refused)")
    boolean resume;

    @Option(names = "--minutes", paramLabel = "MIN", description = "wall-clock budget of this invocation: after the "
            + "first iteration that ends past it, training checkpoints, writes the TPM so far and stops; continue with "
            + "--resume (default: no limit)")
    Double minutes;

    @Override
    public Integer call() throws Exception {
        if (!backbone.equals("tiny")) {
            throw new IllegalArgumentException("train-tpm trains on --backbone tiny only so far (got " + backbone
                    + "): its rewards score decoded images");
        }
        if (iterations < 1 || steps < 1) {
            throw new IllegalArgumentException("--iterations and --steps must be at least 1 (got " + iterations
                    + " and " + steps + ")");
        }
        if (minutes != null && (!(minutes > 0) || minutes.isInfinite())) {
            throw new IllegalArgumentException("--minutes must be a finite number > 0 (got " + minutes + ")");
        }
        SamplingOptions.checkGuidance(guidance);
        Grpo.Options options = new Grpo.Options(group, minibatch, lr, clip, advClip, 1.0, kl);
        List<Reward> scorers = RewardSpecs.parse(rewards);
        PromptSet set = PromptSets.load(prompts);
        Pipeline base = Backbones.pipeline("tiny", null, weights).steps(steps).guidance(guidance)
                .bound(DeviationBound.parse(bound)).batchSize(group);
        base.model().validate(set.prompts());
        TpmTraining training = new TpmTraining(base, backbone, set, scorers, options, seed, out, checkpointEvery);
        Path fin;
        try (TrainingProgressBar bar = new TrainingProgressBar()) {
            fin = training.run(iterations, minutes == null ? null : Duration.ofMillis(Math.round(minutes * 60_000)),
                    resume, bar, System.err);
        }
        int done = Tpm.readProvenance(fin).orElseThrow().iterations();
        System.out.println((done == iterations ? "trained TPM in " : "TPM after " + done + " of " + iterations
                + " iterations (continue with --resume) in ") + fin + " (log: " + out.resolve("log.csv") + ")");
        return 0;
    }
}
