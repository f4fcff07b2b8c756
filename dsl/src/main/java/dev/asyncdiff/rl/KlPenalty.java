package dev.asyncdiff.rl;

import ai.djl.ndarray.NDArray;

/**
 * The optional KL penalty of GRPO towards the initial policy π_ref (a frozen copy of the TPM as training began), added
 * to the PPO-clip loss (Eq. 14) as β·KL(π_θ ‖ π_ref). Per step k it uses the k3 estimator at the step's drawn r,
 * ρ_k = π_ref(r_k)/π_θ(r_k), KL_k ≈ ρ_k − log ρ_k − 1, which is never negative, unbiased for KL(π_θ ‖ π_ref) when
 * r_k ~ π_θ, and differentiable through log π_θ alone. The closed form between two Betas needs the digamma function,
 * which DJL does not offer as a differentiable op. A trajectory's KL is the sum over its steps (the chain rule of KL,
 * as log π(τ) is the sum of Eq. 15).
 */
final class KlPenalty {
    private KlPenalty() {
    }

    /**
     * @param logProb    log π_θ(r_k), differentiable
     * @param logProbRef log π_ref(r_k) at the same r_k and inputs
     * @return the k3 estimate per element
     */
    static NDArray k3(NDArray logProb, NDArray logProbRef) {
        NDArray logRho = logProbRef.sub(logProb);
        return logRho.exp().sub(logRho).sub(1f);
    }
}
