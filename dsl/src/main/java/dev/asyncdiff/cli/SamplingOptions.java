package dev.asyncdiff.cli;

import dev.asyncdiff.Pipeline;
import dev.asyncdiff.sample.ConstantVelocityScale;
import dev.asyncdiff.sample.DeviationBound;
import dev.asyncdiff.sample.SamplingMode;
import dev.asyncdiff.tpm.TpmPolicies;
import dev.asyncdiff.tpm.TpmPolicy;
import picocli.CommandLine.Option;

/** The sampler options shared by every command that samples. */
final class SamplingOptions {
    @Option(names = "--steps", description = "number of Euler steps K (default: ${DEFAULT-VALUE})", defaultValue = "10",
            paramLabel = "K")
    int steps;

    @Option(names = "--schedule", description = "time grid: uniform, shift:S, flux-dynamic, logsnr, custom:1,...,0 "
            + "(default: ${DEFAULT-VALUE})", defaultValue = "uniform", paramLabel = "SCHEDULE")
    String schedule;

    @Option(names = "--guidance", description = "classifier-free guidance scale (Eq. 5; default: ${DEFAULT-VALUE})",
            defaultValue = "5", paramLabel = "W")
    double guidance;

    @Option(names = "--policy", description = "timestep policy: sync, fixed:D with D in [-0.5, 0.5], timeshift[:S], "
            + "tpm:PATH (a TPM from train-tpm, its Beta's mode), distilled:PATH (a TPM's distillate from distill), "
            + "or velocity:W (every update multiplied by W in [0.5, 1.5]; implies --mode velocity-scale) (default: "
            + "${DEFAULT-VALUE})", defaultValue = "sync",
            paramLabel = "sync|fixed:D|timeshift|tpm:PATH|distilled:PATH|velocity:W")
    String policy;

    @Option(names = "--stochastic", description = "with --policy tpm:PATH: draw r from the TPM's Beta (seeded per "
            + "sample) instead of taking its mode")
    boolean stochastic;

    @Option(names = "--gamma", description = "deviation scale (Eq. 12; default: ${DEFAULT-VALUE})", defaultValue = "1",
            paramLabel = "G")
    double gamma;

    @Option(names = "--bound", description = "half (eta = 0.5 + r) or lifted (eta = 2r, Eq. 13) "
            + "(default: ${DEFAULT-VALUE})", defaultValue = "half", paramLabel = "half|lifted")
    String bound;

    @Option(names = "--mode", description = "async (shift the conditioning time, Eq. 8-9) or velocity-scale "
            + "(scale the update, Eq. 19-20) (default: ${DEFAULT-VALUE})", defaultValue = "async",
            paramLabel = "async|velocity-scale")
    String mode;

    @Option(names = "--sigma-min", description = "lower clamp of t*, in (0, 0.1] (default: ${DEFAULT-VALUE})",
            defaultValue = "0.001", paramLabel = "S")
    double sigmaMin;

    @Option(names = "--seed", description = "random seed (default: ${DEFAULT-VALUE})", defaultValue = "42",
            paramLabel = "SEED")
    long seed;

    @Option(names = "--batch-size", description = "samples per model call (default: ${DEFAULT-VALUE})",
            defaultValue = "16", paramLabel = "B")
    int batchSize;

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

    /** Applies these options to a backbone's pipeline; every invalid value throws with a one-line message. */
    Pipeline applyTo(Pipeline base) {
        if (steps < 1) {
            throw new IllegalArgumentException("--steps must be at least 1 (got " + steps + ")");
        }
        checkGuidance(guidance);
        if (!Double.isFinite(gamma) || gamma < 0) {
            throw new IllegalArgumentException("--gamma must be a finite number >= 0 (got " + gamma + ")");
        }
        if (!Double.isFinite(sigmaMin) || sigmaMin <= 0 || sigmaMin > 0.1) {
            throw new IllegalArgumentException("--sigma-min must be in (0, 0.1] (got " + sigmaMin + ")");
        }
        checkBatchSize(batchSize);
        String policySpec = policy;
        SamplingMode samplingMode = SamplingMode.parse(mode);
        if (ConstantVelocityScale.names(policy)) {
            if (gamma != 1 || DeviationBound.parse(bound) != DeviationBound.HALF) {
                throw new IllegalArgumentException("--policy " + policy + " fixes the velocity multiplier; drop --gamma "
                        + "and --bound");
            }
            policySpec = ConstantVelocityScale.parse(policy).policySpec();
            samplingMode = SamplingMode.VELOCITY_SCALE;
        }
        TpmPolicy.Choice choice = TpmPolicies.choice(policy, stochastic);
        Pipeline p = base.steps(steps).schedule(schedule).guidance(guidance)
                .async(TpmPolicies.resolve(policySpec, base, choice)).gamma(gamma).bound(DeviationBound.parse(bound))
                .mode(samplingMode).sigmaMin(sigmaMin).seed(seed).batchSize(batchSize);
        p.grid();
        return p;
    }
}
