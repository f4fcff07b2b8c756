package dev.asyncdiff.sample;

/**
 * Constant velocity scaling, {@code velocity:ω}: the flow-matching analogue of epsilon scaling (Ning et al., ICLR
 * 2024), which divides the predicted noise by a constant slightly above 1. Here every update, the first included, is
 * multiplied by one fixed ω while the model stays conditioned at t_k: Eq. 19 with a constant ω. It is the velocity
 * multiplier mode with the fixed deviation D = ω − 1 (Eq. 20 at γ = 1 under the half bound gives ω = 0.5 + r =
 * 1 + D); ω = 1 is synchronous sampling.
 *
 * @param omega ω ∈ [0.5, 1.5], the multipliers that r ∈ [0, 1] reaches
 */
public record ConstantVelocityScale(double omega) {
    public static final String PREFIX = "velocity:";

    public ConstantVelocityScale {
        if (!(omega >= 0.5 && omega <= 1.5)) {
            throw new IllegalArgumentException("velocity:W needs a multiplier W in [0.5, 1.5] (got " + omega
                    + "), e.g. velocity:1.005");
        }
    }

    /** Whether a policy or method spec names constant velocity scaling. */
    public static boolean names(String spec) {
        return spec.strip().startsWith(PREFIX);
    }

    /** Reads {@code velocity:W}. */
    public static ConstantVelocityScale parse(String spec) {
        String w = spec.strip().substring(PREFIX.length()).strip();
        try {
            return new ConstantVelocityScale(Double.parseDouble(w));
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("velocity:W needs a number W (got '" + w + "'), e.g. velocity:1.005");
        }
    }

    /** The fixed-deviation policy that gives this ω in velocity-scale mode at γ = 1 under the half bound. */
    public String policySpec() {
        return "fixed:" + (omega - 1); // exact: ω and 1 lie within a factor of 2 (Sterbenz)
    }

    public String spec() {
        return PREFIX + omega;
    }
}
