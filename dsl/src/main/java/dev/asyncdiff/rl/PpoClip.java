package dev.asyncdiff.rl;

/**
 * The clipped surrogate of PPO (Eq. 14), as a loss to minimise: for each trajectory with probability ratio
 * ρ = π_θ(τ)/π_old(τ) = exp(log π_θ − log π_old) (log π summed over steps, Eq. 15) and advantage A,
 * −min(ρ·A, clip(ρ, 1 − ε, 1 + ε)·A), averaged over the mini-batch. Also the diagnostics GRPO users ask for: the share
 * of clipped terms, the approximate KL (k3 estimator: E[(ρ − 1) − log ρ]) and the largest |ρ − 1|, which must be
 * about 0 on the first mini-batch of an iteration (the rollout was on-policy).
 */
public final class PpoClip {
    /** The paper's ε. */
    public static final double EPSILON = 0.2;

    /** The loss and its diagnostics over one mini-batch. */
    public record Result(double loss, double clipFraction, double approxKl, double maxRatioDeviation) {
    }

    private PpoClip() {
    }

    public static Result of(double[] logProbNew, double[] logProbOld, double[] advantages, double epsilon) {
        int n = logProbNew.length;
        if (n == 0 || logProbOld.length != n || advantages.length != n) {
            throw new IllegalArgumentException("need one old and new log-probability and advantage per trajectory (got "
                    + n + ", " + logProbOld.length + ", " + advantages.length + ")");
        }
        if (!(epsilon > 0 && epsilon < 1)) {
            throw new IllegalArgumentException("the clip range epsilon must lie in (0, 1) (got " + epsilon + ")");
        }
        double loss = 0;
        int clipped = 0;
        double kl = 0;
        double maxDev = 0;
        for (int i = 0; i < n; i++) {
            double logRatio = logProbNew[i] - logProbOld[i];
            double ratio = Math.exp(logRatio);
            double a = advantages[i];
            double unclipped = ratio * a;
            double clippedTerm = Math.max(1 - epsilon, Math.min(1 + epsilon, ratio)) * a;
            loss -= Math.min(unclipped, clippedTerm) / n;
            if (clippedTerm < unclipped) {
                clipped++;
            }
            kl += ((ratio - 1) - logRatio) / n;
            maxDev = Math.max(maxDev, Math.abs(ratio - 1));
        }
        return new Result(loss, clipped / (double) n, kl, maxDev);
    }
}
