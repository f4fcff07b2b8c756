package dev.asyncdiff.cli;

import dev.asyncdiff.Pipeline;
import dev.asyncdiff.asyndm.AsynDm;
import dev.asyncdiff.sample.AsyncRule;
import dev.asyncdiff.sample.ConstantVelocityScale;
import dev.asyncdiff.sample.DeviationBound;
import dev.asyncdiff.sample.SamplingMode;
import dev.asyncdiff.sample.Solver;
import dev.asyncdiff.tpm.TpmPolicies;
import dev.asyncdiff.tpm.TpmPolicy;
import picocli.CommandLine.Option;

/**
 * The sampler options shared by every command that samples. An option the user does not give is null and leaves
 * the backbone's preset alone (sd35 keeps its 15 steps, shift 3 and CFG 5); the defaults live in {@link Pipeline}.
 */
final class SamplingOptions {
    private static final String PRESET = "(default: the backbone's preset)";

    @Option(names = "--steps", description = "number of steps K " + PRESET, paramLabel = "K")
    Integer steps;

    @Option(names = "--schedule", description = "time grid: uniform, shift:S, flux-dynamic[:TOKENS], logsnr, "
            + "custom:1,...,0 " + PRESET, paramLabel = "SCHEDULE")
    String schedule;

    @Option(names = "--guidance", description = "guidance scale: classifier-free (Eq. 5), or the input of a "
            + "guidance-distilled backbone (flux) " + PRESET, paramLabel = "W")
    Double guidance;

    @Option(names = "--policy", description = "timestep policy: sync, fixed:D with D in [-0.5, 0.5], timeshift[:S], "
            + "tpm:PATH (a TPM from train-tpm, its Beta's mode), tpm:shipped or tpm:shipped-lifted (the TPMs the "
            + "build ships), distilled:PATH (a TPM's distillate from distill), "
            + "or velocity:W (every update multiplied by W in [0.5, 1.5]; implies --mode velocity-scale) (default: "
            + "sync)", paramLabel = "sync|fixed:D|timeshift|tpm:PATH|distilled:PATH|velocity:W")
    String policy;

    @Option(names = "--stochastic", description = "with --policy tpm:PATH: draw r from the TPM's Beta (seeded per "
            + "sample) instead of taking its mode")
    boolean stochastic;

    @Option(names = "--gamma", description = "deviation scale (Eq. 12; default: 1)", paramLabel = "G")
    Double gamma;

    @Option(names = "--bound", description = "half (eta = 0.5 + r) or lifted (eta = 2r, Eq. 13) (default: the bound "
            + "a TPM or distillate was trained under, else half; another one warns)", paramLabel = "half|lifted")
    String bound;

    @Option(names = "--mode", description = "async (shift the conditioning time, Eq. 8-9) or velocity-scale "
            + "(scale the update, Eq. 19-20) (default: async)", paramLabel = "async|velocity-scale")
    String mode;

    @Option(names = "--solver", description = "euler (Eq. 4), heun (2nd order; corrector at t_{k+1}) or dpmpp2m "
            + "(DPM-Solver++(2M), flow-matching form) (default: euler)", paramLabel = "euler|heun|dpmpp2m")
    String solver;

    @Option(names = "--asyndm", description = "AsynDM: positions related to the prompt's objects (from the model's "
            + "attention) follow a slower concave schedule: " + AsynDm.FORM, paramLabel = "SCHEDULE[:K][:MASKS]")
    String asyndm;

    @Option(names = "--mask-threshold", description = "with --asyndm: a position is related when its attention is at "
            + "least X times the object word's spatial mean (default: 1, the reference's rule)", paramLabel = "X")
    Double maskThreshold;

    @Option(names = "--sigma-min", description = "lower clamp of t*, in (0, 0.1] (default: "
            + AsyncRule.DEFAULT_SIGMA_MIN + ")", paramLabel = "S")
    Double sigmaMin;

    @Option(names = "--seed", description = "random seed (default: " + Pipeline.DEFAULT_SEED + ")", paramLabel = "SEED")
    Long seed;

    @Option(names = "--batch-size", description = "samples per model call (default: " + Pipeline.DEFAULT_BATCH + ")",
            paramLabel = "B")
    Integer batchSize;

    /** A value checked where it is defined, its message naming the CLI option ("gamma …" becomes "--gamma …"). */
    private static double option(java.util.function.DoubleSupplier checked) {
        try {
            return checked.getAsDouble();
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("--" + e.getMessage());
        }
    }

    static void checkGuidance(double guidance) {
        if (!Double.isFinite(guidance) || guidance < 0) {
            throw new IllegalArgumentException("--guidance must be a finite number >= 0 (got " + guidance + ")");
        }
    }

    static void checkBatchSize(int batchSize) {
        if (batchSize < 1) {
            throw new IllegalArgumentException("--batch-size must be at least 1 (got " + batchSize + ")");
        }
    }

    /**
     * The backbone's pipeline with the options the user gave applied, and only those; every invalid value throws
     * with a one-line message.
     */
    Pipeline applyTo(Pipeline base) {
        Pipeline p = base;
        if (steps != null) {
            if (steps < 1) {
                throw new IllegalArgumentException("--steps must be at least 1 (got " + steps + ")");
            }
            p = p.steps(steps);
        }
        if (schedule != null) {
            p = p.schedule(schedule);
        }
        if (guidance != null) {
            checkGuidance(guidance);
            p = p.guidance(guidance);
        }
        if (gamma != null) {
            p = p.gamma(option(() -> AsyncRule.checkGamma(gamma)));
        }
        DeviationBound chosenBound = bound == null ? null : DeviationBound.parse(bound);
        if (sigmaMin != null) {
            p = p.sigmaMin(option(() -> AsyncRule.checkSigmaMin(sigmaMin)));
        }
        if (seed != null) {
            p = p.seed(seed);
        }
        if (batchSize != null) {
            checkBatchSize(batchSize);
            p = p.batchSize(batchSize);
        }
        Solver chosen = solver == null ? null : Solver.parse(solver);
        // Last, once every plain value is known to be valid: a TPM is loaded here, and async() resets the mode and
        // brings a learned policy's bound, which --bound then overrides.
        TpmPolicy.Choice choice = TpmPolicies.choice(policy != null ? policy : base.policy().spec(), stochastic);
        if (policy != null && ConstantVelocityScale.names(policy)) {
            if (gamma != null || bound != null
                    || (mode != null && SamplingMode.parse(mode) != SamplingMode.VELOCITY_SCALE)) {
                throw new IllegalArgumentException("--policy " + policy + " fixes the velocity multiplier; drop "
                        + "--gamma, --bound and --mode");
            }
            p = p.async(TpmPolicies.resolve(ConstantVelocityScale.parse(policy).policySpec(), base, choice)).gamma(1)
                    .bound(DeviationBound.HALF).mode(SamplingMode.VELOCITY_SCALE);
        } else if (policy != null) {
            p = p.async(TpmPolicies.resolve(policy, base, choice));
        }
        if (chosenBound != null) {
            p = p.bound(chosenBound);
        }
        if (mode != null) {
            p = p.mode(SamplingMode.parse(mode));
        }
        if (chosen != null) {
            p = p.solver(chosen);
        }
        if (maskThreshold != null && asyndm == null) {
            throw new IllegalArgumentException("--mask-threshold needs --asyndm");
        }
        if (asyndm != null) {
            AsynDm a = AsynDm.parse(asyndm);
            p = p.clock(maskThreshold == null ? a : a.withThreshold(maskThreshold));
        }
        p.grid();
        return p;
    }
}
