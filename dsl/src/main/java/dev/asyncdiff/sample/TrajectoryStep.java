package dev.asyncdiff.sample;

import dev.asyncdiff.policy.BetaDistribution;

import java.util.List;

/**
 * One step of one sample: the latent moves from t to tNext while the model is conditioned at tCond. Where positions
 * carry their own times, t, tNext and each conditioning time are the sample's mean over its positions.
 *
 * @param r           the policy value that produced tCond, or null where none was asked (k = 0 in async mode)
 * @param eta         η_k = (t*_k − t_{k−1}) / (t_k − t_{k−1}) as realised after clamping; 1 at k = 0
 * @param deviation   D_k = η_k − 1 (Eq. 10–11); 0 at k = 0
 * @param policy      the Beta(α, β) r came from, for a policy with a distribution (a TPM); else null
 * @param evaluations the conditioning time of each model evaluation of the step, in order: tCond first, then any the
 *                    solver adds (Heun's corrector at tNext)
 * @param masked      τ_in and τ_out of a per-position schedule with a mask (AsynDM); null otherwise
 */
public record TrajectoryStep(int k, double t, double tNext, double tCond, Double r, double eta, double deviation,
                             BetaDistribution policy, List<Double> evaluations, MaskedTimes masked) {
    public TrajectoryStep {
        evaluations = List.copyOf(evaluations);
    }

    /** log π(r_k) under the step's distribution (Eq. 15 sums it over the steps); null without one. */
    public Double logProb() {
        return policy == null || r == null ? null : policy.logDensity(r);
    }
}
