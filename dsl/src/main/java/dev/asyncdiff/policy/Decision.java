package dev.asyncdiff.policy;

/**
 * What a policy chose at one step: r per sample and, for a policy that draws r from a distribution (the TPM's Beta),
 * that distribution per sample, so trajectories can record α, β and log π(r) (Eq. 15).
 *
 * @param distributions one per sample, or null for a policy without a distribution
 */
public record Decision(double[] r, BetaDistribution[] distributions) {
    public Decision {
        if (distributions != null && distributions.length != r.length) {
            throw new IllegalArgumentException("a decision needs one distribution per r (got " + distributions.length
                    + " for " + r.length + ")");
        }
    }
}
