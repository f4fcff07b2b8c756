package dev.asyncdiff.sample;

import dev.asyncdiff.model.FlowModel;
import dev.asyncdiff.model.Timesteps;

import java.util.List;

/**
 * A deliberately plain re-implementation of Algorithm 1 (and of a given conditioning-time schedule), written apart
 * from {@link Sampler}: one sample at a time, conditional and unconditional passes as separate calls.
 */
final class ReferenceEuler {
    private ReferenceEuler() {
    }

    /** Euler with CFG where the model is conditioned at tCond[k] and the update scaled by omega[k]. */
    static float[] run(FlowModel model, String prompt, float[] xInit, double[] grid, double[] tCond, double[] omega,
                       double w) {
        float[] x = xInit.clone();
        for (int k = 0; k < grid.length - 1; k++) {
            Timesteps t = new Timesteps.PerSample(new double[] {tCond[k]});
            float[] vc = model.velocity(new float[][] {x}, t, model.encode(List.of(prompt)))[0];
            float[] v = vc;
            if (w != 1.0) {
                float[] vu = model.velocity(new float[][] {x}, t, model.unconditional(1))[0];
                v = new float[x.length];
                for (int j = 0; j < x.length; j++) {
                    v[j] = vu[j] + (float) w * (vc[j] - vu[j]);
                }
            }
            float h = (float) (grid[k + 1] - grid[k]) * (float) omega[k];
            float[] next = new float[x.length];
            for (int j = 0; j < x.length; j++) {
                next[j] = x[j] + h * v[j];
            }
            x = next;
        }
        return x;
    }

    /** Algorithm 1: tCond = t_k and ω = 1. */
    static float[] sync(FlowModel model, String prompt, float[] xInit, double[] grid, double w) {
        double[] ones = new double[grid.length - 1];
        java.util.Arrays.fill(ones, 1.0);
        return run(model, prompt, xInit, grid, java.util.Arrays.copyOf(grid, grid.length - 1), ones, w);
    }
}
