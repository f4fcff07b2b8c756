package dev.asyncdiff.policy;

import dev.asyncdiff.sample.DeviationBound;

/**
 * Chooses r_k ∈ [0, 1] for every sample at step k (Eq. 6); r = 0.5 is synchronous. The sampler turns r into the
 * pseudo-timestep t*_k (asynchronous conditioning) or into the velocity multiplier ω (Eq. 19–20).
 */
public interface TimestepPolicy {

    /** One r per sample of {@code input}, each in [0, 1]. */
    double[] decide(PolicyInput input);

    /** r per sample with the distribution it came from, when there is one (default: none). */
    default Decision decision(PolicyInput input) {
        return new Decision(decide(input), null);
    }

    /** The name {@link Policies#parse} reads back, e.g. "sync" or "fixed:0.3". */
    String spec();

    /**
     * The deviation bound this policy was learned under (a trained TPM, a TPM's distillate), which it should sample
     * under; empty for policies that were not learned (default).
     */
    default java.util.Optional<DeviationBound> trainedBound() {
        return java.util.Optional.empty();
    }
}
