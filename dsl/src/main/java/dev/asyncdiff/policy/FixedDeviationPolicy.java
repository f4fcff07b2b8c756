package dev.asyncdiff.policy;

import java.util.Arrays;

/** A constant deviation D: r = 0.5 + D, so D ∈ [−0.5, 0.5] (Eq. 10–11 under the bounded rule η = 0.5 + r). */
public record FixedDeviationPolicy(double deviation) implements TimestepPolicy {

    public FixedDeviationPolicy {
        if (!Double.isFinite(deviation) || deviation < -0.5 || deviation > 0.5) {
            throw new IllegalArgumentException("fixed deviation D must be in [-0.5, 0.5] so that r = 0.5 + D lies in "
                    + "[0, 1] (got " + deviation + "); use --gamma or --bound lifted for larger deviations");
        }
    }

    @Override
    public double[] decide(PolicyInput input) {
        double[] r = new double[input.size()];
        Arrays.fill(r, 0.5 + deviation);
        return r;
    }

    @Override
    public String spec() {
        return "fixed:" + deviation;
    }
}
