package dev.asyncdiff.tpm;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDArrays;
import dev.asyncdiff.nn.Ops;

/**
 * The differentiable log π(r) of the TPM's Beta policy, for the policy gradient (Eq. 14–15): α = φ(a), β = φ(b)
 * (Eq. 17) and log Beta(r; α, β) = (α − 1)·log r + (β − 1)·log(1 − r) − log Γ(α) − log Γ(β) + log Γ(α + β), all in
 * native ops so that gradients reach the TPM's weights. {@link dev.asyncdiff.policy.BetaDistribution} is the same in
 * double precision.
 */
public final class BetaLogProb {
    /** r is kept this far inside (0, 1), where float logs are finite. */
    private static final float EDGE = 1e-6f;

    private BetaLogProb() {
    }

    /** φ of Eq. 17, elementwise: 2 + x + x²/2 for x > 0, 1 + eˣ otherwise. */
    public static NDArray phi(NDArray x) {
        NDArray above = x.gt(0f);
        NDArray positive = x.add(2f).add(Ops.scaled(x.square(), 0.5f));
        // eˣ of x where x ≤ 0 and of 0 elsewhere: no overflow in the unused branch, and (unlike min(x, 0), whose
        // gradient PyTorch halves at the tie x = 0) the full slope 1 at x = 0
        NDArray negative = NDArrays.where(above, x.zerosLike(), x).exp().add(1f);
        return NDArrays.where(above, positive, negative);
    }

    /**
     * @param ab the TPM's raw outputs [B, 2]
     * @param r  the chosen r [B]
     * @return log π(r) [B]
     */
    public static NDArray of(NDArray ab, NDArray r) {
        NDArray alpha = phi(ab.get(":, 0"));
        NDArray beta = phi(ab.get(":, 1"));
        NDArray rc = r.clip(EDGE, 1 - EDGE);
        NDArray logB = alpha.gammaln().add(beta.gammaln()).sub(alpha.add(beta).gammaln());
        return alpha.sub(1f).mul(rc.log()).add(beta.sub(1f).mul(rc.neg().add(1f).log())).sub(logB);
    }
}
