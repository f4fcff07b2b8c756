package dev.asyncdiff.sample;

import java.util.List;

/**
 * The result of one batch: final latents and one trajectory per row.
 *
 * @param stopped true when a callback stopped the loop before the grid's end
 */
public record SampledBatch(float[][] x, List<Trajectory> trajectories, boolean stopped) {
}
