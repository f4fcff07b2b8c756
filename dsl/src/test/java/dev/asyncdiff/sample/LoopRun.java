package dev.asyncdiff.sample;

import dev.asyncdiff.model.FlowModel;
import dev.asyncdiff.policy.TimestepPolicy;

import java.util.List;

/** Runs the sampling loop itself on one batch, for tests that need settings a Pipeline does not expose. */
final class LoopRun {
    private LoopRun() {
    }

    /** Async mode, γ 1, half bound, no recorded states. */
    static SamplerSettings settings(double[] grid, double guidance, TimestepPolicy policy, Solver solver,
                                    LatentClock clock) {
        return new SamplerSettings(grid, new ClassifierFreeGuidance(guidance), policy, SamplingMode.ASYNC,
                new AsyncRule(DeviationBound.HALF, 1, AsyncRule.DEFAULT_SIGMA_MIN), solver, clock, false);
    }

    static SampledBatch run(FlowModel model, SamplerSettings settings, List<String> prompts, float[][] xInit) {
        int n = xInit.length;
        SampleStream[] random = new SampleStream[n];
        int[] samples = new int[n];
        for (int i = 0; i < n; i++) {
            random[i] = new SampleStream(11, i);
            samples[i] = i;
        }
        return new Sampler(model, settings).run(xInit, model.encode(prompts), prompts, random, samples,
                StepCallback.NONE);
    }

    /** n initial noises of the given size, seeded. */
    static float[][] noise(int n, int size) {
        float[][] x = new float[n][];
        for (int i = 0; i < n; i++) {
            x[i] = new SampleStream(11, i).gaussianVector(size);
        }
        return x;
    }
}
