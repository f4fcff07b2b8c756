package dev.asyncdiff.sample;

/**
 * Turns a policy value r into η and the pseudo-timestep t*.
 *
 * @param sigmaMin the lower clamp of t* (DESIGN.md: σ_min = 1e−3)
 */
public record AsyncRule(DeviationBound bound, double gamma, double sigmaMin) {
    public static final double DEFAULT_SIGMA_MIN = 1e-3;

    public AsyncRule {
        checkGamma(gamma);
        checkSigmaMin(sigmaMin);
    }

    /** σ_min, the lower clamp of t*: in (0, 0.1]; returns it. */
    public static double checkSigmaMin(double sigmaMin) {
        if (!Double.isFinite(sigmaMin) || sigmaMin <= 0 || sigmaMin > 0.1) {
            throw new IllegalArgumentException("sigma-min must be in (0, 0.1] (got " + sigmaMin + ")");
        }
        return sigmaMin;
    }

    /** γ of Eq. 12: a finite number ≥ 0; returns it. */
    public static double checkGamma(double gamma) {
        if (!Double.isFinite(gamma) || gamma < 0) {
            throw new IllegalArgumentException("gamma must be a finite number >= 0 (got " + gamma + ")");
        }
        return gamma;
    }

    /** Eq. 6, 12, 13: η = 1 + (r − 0.5)·scale·γ (also ω of Eq. 20 in velocity-scale mode). */
    public double eta(double r) {
        return 1.0 + (r - 0.5) * bound.scale * gamma;
    }

    /**
     * Eq. 6 with the clamp: t* = t_{k−1} + η·(t_k − t_{k−1}), kept in [σ_min, 1]. It is evaluated in the equivalent
     * form t_k + (η − 1)·(t_k − t_{k−1}) so that η = 1 gives exactly t_k, bit for bit. The upper clamp only acts when
     * η < 0 (γ > 1 with r near 0), where t* would otherwise leave the model's domain.
     */
    public double tCond(double tPrev, double t, double eta) {
        double tc = t + (eta - 1.0) * (t - tPrev);
        return Math.min(1.0, Math.max(sigmaMin, tc));
    }
}
