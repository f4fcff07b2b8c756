package dev.asyncdiff.cli;

import ai.djl.ndarray.NDManager;
import dev.asyncdiff.Pipeline;
import dev.asyncdiff.bench.FlopCount;
import dev.asyncdiff.bench.TpmBenchmark;
import dev.asyncdiff.data.PromptSets;
import dev.asyncdiff.reward.CompositeReward;
import dev.asyncdiff.reward.Rewards;
import dev.asyncdiff.rl.Grpo;
import dev.asyncdiff.rl.PpoClip;
import dev.asyncdiff.tpm.Tpm;
import dev.asyncdiff.tpm.TpmConfig;
import dev.asyncdiff.tpm.TpmPolicy;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.util.List;
import java.util.concurrent.Callable;

/** The TPM's cost per step against the denoiser, measured on tiny and projected to Flux, and GRPO's phases. */
@Command(name = "tpm", mixinStandardHelpOptions = true,
        description = "TPM cost per step as a fraction of one tiny denoiser evaluation (side by side), its FLOP "
                + "fraction projected to Flux.1-dev at 512x512, and a GRPO iteration's time split by phase.")
final class BenchTpmCommand implements Callable<Integer> {
    static final double STEP_TARGET = 0.10;
    static final double UPDATE_TARGET = 0.20;
    /** A wider TPM than this project's, to show how the projection scales with the TPM's width. */
    static final int WIDE = 512;

    @Option(names = "--batch", defaultValue = "16", description = "samples per step (default: ${DEFAULT-VALUE})",
            paramLabel = "B")
    int batch;

    @Option(names = "--steps", defaultValue = "10", description = "Euler steps (default: ${DEFAULT-VALUE})",
            paramLabel = "K")
    int steps;

    @Option(names = "--reps", defaultValue = "30", description = "timed TPM decisions and denoiser evaluations "
            + "(default: ${DEFAULT-VALUE})", paramLabel = "N")
    int reps;

    @Option(names = "--iterations", defaultValue = "3", description = "timed GRPO iterations after one warm-up "
            + "(default: ${DEFAULT-VALUE})", paramLabel = "N")
    int iterations;

    @Option(names = "--group", defaultValue = "16", description = "GRPO group size (default: ${DEFAULT-VALUE})",
            paramLabel = "G")
    int group;

    @Option(names = "--minibatch", defaultValue = "4", description = "GRPO mini-batch (default: ${DEFAULT-VALUE})",
            paramLabel = "M")
    int minibatch;

    @Option(names = "--seed", defaultValue = "" + Pipeline.DEFAULT_SEED, description = "seed (default: ${DEFAULT-VALUE})",
            paramLabel = "SEED")
    long seed;

    @Override
    public Integer call() {
        if (batch < 1 || steps < 2 || reps < 1 || iterations < 1) {
            throw new IllegalArgumentException("--batch, --reps and --iterations must be at least 1 and --steps at "
                    + "least 2 (got " + batch + ", " + reps + ", " + iterations + ", " + steps + ")");
        }
        Grpo.Options options = new Grpo.Options(group, minibatch, 2e-5f, PpoClip.EPSILON, Double.POSITIVE_INFINITY,
                1.0, 0);
        Pipeline tiny = Pipeline.tiny().steps(steps).batchSize(Math.max(batch, group));
        try (NDManager manager = NDManager.newBaseManager()) {
            TpmConfig config = TpmConfig.forModel("tiny", tiny.model());
            Tpm tpm = Tpm.initialize(manager, config, seed);
            TpmBenchmark.StepCost cost = TpmBenchmark.stepCost(tiny,
                    TpmPolicy.of(tpm, "tiny", tiny.model(), TpmPolicy.Choice.MODE, "tpm:bench"), batch, reps, seed);
            System.out.printf("TPM cost per step on tiny: batch %d, CFG 5 (conditional and unconditional rows in one "
                    + "call), medians of %d, alternating%n", batch, reps);
            System.out.printf("%-46s %12.2f%n", "TPM decision (ms)", cost.tpmMillis());
            System.out.printf("%-46s %12.2f%n", "denoiser evaluation (ms)", cost.denoiserMillis());
            System.out.printf("%-46s %12.3f  target <= %.2f  %s%n", "TPM / denoiser", cost.fraction(), STEP_TARGET,
                    cost.fraction() <= STEP_TARGET ? "yes" : "NO");
            flops(config);
            Grpo grpo = new Grpo(tiny, TpmPolicy.of(tpm, "tiny", tiny.model(), TpmPolicy.Choice.SAMPLE, "tpm:bench"),
                    options, seed);
            TpmBenchmark.Phases phases = TpmBenchmark.grpo(grpo, PromptSets.load("shapes:all:train:64").prompts(),
                    CompositeReward.of(Rewards.parse("oracle,hf-noise")), iterations);
            System.out.printf("%nGRPO iteration on tiny: G %d, mini-batch %d, %d steps, rewards oracle,hf-noise, "
                    + "medians of %d after one warm-up%n", group, minibatch, steps, iterations);
            System.out.printf("%-46s %12.2f%n", "rollout (s)", phases.rollout());
            System.out.printf("%-46s %12.2f%n", "reward (s)", phases.reward());
            System.out.printf("%-46s %12.2f%n", "update (s)", phases.update());
            System.out.printf("%-46s %12.3f  target <= %.2f  %s%n", "update share of the iteration",
                    phases.updateShare(), UPDATE_TARGET, phases.updateShare() <= UPDATE_TARGET ? "yes" : "NO");
        }
        return 0;
    }

    private static void flops(TpmConfig tiny) {
        FlopCount.Count flux = FlopCount.fluxDev512();
        System.out.printf("%nFLOPs per sample and step (a multiply-add = 2; formulas in bench/FlopCount.java)%n");
        System.out.println("  TPM:  2*P*3E*w + 2*3*F*w + 2*L*C*w + layers*(24*N*w^2 + 4*N^2*w) + 2*R*w^2 + 4*w,"
                + " N = R + P + 3 + L");
        System.out.println("  Flux: 19*(2*12*D^2*N + 4*N^2*D + 24*D^2) + 38*(2*12*D^2*N + 4*N^2*D + 6*D^2)"
                + " + embedders + output, N = 1024 + 512, D = 3072");
        row("TPM on tiny (w " + tiny.width() + ")", FlopCount.tpm(tiny));
        for (int width : List.of(TpmConfig.WIDTH, WIDE)) {
            row("TPM at Flux 512x512 (w " + width + ")", FlopCount.tpm(FlopCount.fluxTpm(width)));
        }
        row("Flux.1-dev transformer, 512x512 (one pass)", flux);
        for (int width : List.of(TpmConfig.WIDTH, WIDE)) {
            System.out.printf("%-46s %12.5f  target <= %.2f%n", "projected TPM / Flux (w " + width + ")",
                    FlopCount.tpm(FlopCount.fluxTpm(width)).flops() / flux.flops(), STEP_TARGET);
        }
    }

    private static void row(String label, FlopCount.Count c) {
        System.out.printf("%-46s %12.4g FLOPs  %10.4g parameters%n", label, c.flops(), c.parameters());
    }
}
