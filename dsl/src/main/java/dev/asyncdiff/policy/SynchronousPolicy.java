package dev.asyncdiff.policy;

import java.util.Arrays;

/** r = 0.5 for every sample and step: the usual synchronous sampler. */
public record SynchronousPolicy() implements TimestepPolicy {
    @Override
    public double[] decide(PolicyInput input) {
        double[] r = new double[input.size()];
        Arrays.fill(r, 0.5);
        return r;
    }

    @Override
    public String spec() {
        return "sync";
    }
}
