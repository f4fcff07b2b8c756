package dev.asyncdiff.sample;

/**
 * What a callback sees after step k of a batch: the latent after the update, the guided velocity used, and
 * the conditioning times. Arrays are the sampler's own: read them, do not keep or change them.
 *
 * @param samples global index of each row
 */
public record StepEvent(int k, int steps, double t, double tNext, double[] tCond, double[] r, float[][] x,
                        float[][] velocity, int[] samples) {
}
