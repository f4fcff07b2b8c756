package dev.asyncdiff;

import dev.asyncdiff.sample.Trajectory;

import java.awt.image.BufferedImage;
import java.util.List;

/**
 * What {@link Pipeline#generate} returns, one row per sample in prompt-major order (all n samples of the first
 * prompt, then the next).
 *
 * @param latentShape shape of one latent; rows of xInit and xFinal are flattened in this layout
 * @param images      decoded images when the backbone has a decoder, else empty
 * @param stopped     true when a step callback stopped generation early (rows cover only what was sampled)
 */
public record Generation(double[] grid, int[] latentShape, List<String> prompts, float[][] xInit, float[][] xFinal,
                         List<Trajectory> trajectories, List<BufferedImage> images, boolean stopped) {

    public int size() {
        return xFinal.length;
    }

    /** Mean deviation over all samples and steps k ≥ 1. */
    public double meanDeviation() {
        return trajectories.stream().mapToDouble(Trajectory::meanDeviation).average().orElse(0.0);
    }
}
