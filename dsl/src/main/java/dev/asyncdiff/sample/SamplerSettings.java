package dev.asyncdiff.sample;

import dev.asyncdiff.policy.TimestepPolicy;

/**
 * Everything the sampling loop needs besides the model and the batch.
 *
 * @param grid         t_0 … t_K, validated
 * @param clock        where each latent position's time is at each step ({@link LatentClock#GRID}: on the grid)
 * @param recordStates keep x_k, v_k, x0_k per step in the trajectories (for RL)
 */
public record SamplerSettings(double[] grid, Guidance guidance, TimestepPolicy policy, SamplingMode mode,
                              AsyncRule rule, Solver solver, LatentClock clock, boolean recordStates) {
}
