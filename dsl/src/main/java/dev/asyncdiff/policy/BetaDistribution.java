package dev.asyncdiff.policy;

import dev.asyncdiff.sample.SampleStream;
import org.apache.commons.math3.special.Gamma;

/**
 * The Beta(α, β) distribution of the TPM's r ∈ [0, 1] (paper §3.3): sampled in training, its mode used at evaluation
 * (Eq. 18), its log-density summed over a trajectory's steps for the policy gradient (Eq. 15). This is the
 * double-precision version used while sampling and as the reference for the differentiable one.
 */
public record BetaDistribution(double alpha, double beta) {
    public BetaDistribution {
        if (!(alpha > 0) || !(beta > 0) || Double.isInfinite(alpha) || Double.isInfinite(beta)) {
            throw new IllegalArgumentException("Beta parameters must be finite and > 0 (got alpha " + alpha + ", beta "
                    + beta + ")");
        }
    }

    /** The TPM's two outputs mapped by φ (Eq. 17) to α, β > 1, so the distribution has one interior peak. */
    public static BetaDistribution fromTpmOutputs(double a, double b) {
        return new BetaDistribution(phi(a), phi(b));
    }

    /**
     * Eq. 17: φ(x) = 2 + x + x²/2 for x > 0 and 1 + eˣ otherwise — continuous with a continuous first derivative at 0
     * (both sides give 2 and slope 1), above 1 everywhere, growing quadratically rather than exponentially.
     */
    public static double phi(double x) {
        return x > 0 ? 2 + x + x * x / 2 : 1 + Math.exp(x);
    }

    /** log p(r) = (α − 1)·log r + (β − 1)·log(1 − r) − log B(α, β); −∞ outside [0, 1]. */
    public double logDensity(double r) {
        if (r < 0 || r > 1) {
            return Double.NEGATIVE_INFINITY;
        }
        double logB = Gamma.logGamma(alpha) + Gamma.logGamma(beta) - Gamma.logGamma(alpha + beta);
        return xlogy(alpha - 1, r) + xlogy(beta - 1, 1 - r) - logB;
    }

    /**
     * Eq. 18: (α − 1)/(α + β − 2), the single peak when α, β > 1 (which Eq. 17's φ guarantees in exact arithmetic). In
     * floating point φ(x) rounds to 1 for x below about −37; the formula still gives the density's maximum (0 or 1)
     * when one parameter is 1, and Beta(1, 1), uniform, has no peak: 0.5, the synchronous choice, is returned.
     */
    public double mode() {
        if (!(alpha >= 1 && beta >= 1)) {
            throw new IllegalStateException("Beta(" + alpha + ", " + beta + ") has no interior mode; the TPM's φ keeps "
                    + "both parameters at least 1");
        }
        return alpha == 1 && beta == 1 ? 0.5 : (alpha - 1) / (alpha + beta - 2);
    }

    public double mean() {
        return alpha / (alpha + beta);
    }

    public double variance() {
        double s = alpha + beta;
        return alpha * beta / (s * s * (s + 1));
    }

    /** A draw X/(X + Y) with X ~ Gamma(α), Y ~ Gamma(β) (Marsaglia–Tsang), from the sample's own stream. */
    public double sample(SampleStream random) {
        double x = gamma(alpha, random);
        double y = gamma(beta, random);
        return x / (x + y);
    }

    /**
     * Marsaglia and Tsang (2000): for a ≥ 1, d = a − 1/3, c = 1/√(9d); draw v = (1 + c·z)³ with z normal until
     * log u < z²/2 + d − d·v + d·log v, and return d·v. For a < 1, Gamma(a + 1)·u^(1/a).
     */
    static double gamma(double a, SampleStream random) {
        if (a < 1) {
            return gamma(a + 1, random) * Math.pow(random.uniform(), 1 / a);
        }
        double d = a - 1.0 / 3;
        double c = 1 / Math.sqrt(9 * d);
        while (true) {
            double z = random.gaussian();
            double v = 1 + c * z;
            if (v <= 0) {
                continue;
            }
            v = v * v * v;
            double u = random.uniform();
            if (Math.log(u) < 0.5 * z * z + d - d * v + d * Math.log(v)) {
                return d * v;
            }
        }
    }

    /** x·log y with 0·log 0 = 0 (the density's limit at the ends for α = 1 or β = 1). */
    private static double xlogy(double x, double y) {
        return x == 0 ? 0 : x * Math.log(y);
    }
}
