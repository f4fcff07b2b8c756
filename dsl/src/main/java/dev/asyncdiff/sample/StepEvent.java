package dev.asyncdiff.sample;

import dev.asyncdiff.model.Latents;

/**
 * What a callback sees after step k of a batch: the latent after the update, the guided velocity used, and
 * the conditioning times. The tensors are the sampler's own native ones: {@link #x()} and {@link #velocity()} copy
 * them to Java rows on first use, which only a callback that reads them pays for; read them during the call, do not
 * keep or change them.
 *
 * @param latent  x_{k+1}
 * @param guided  v*_k
 * @param samples global index of each row
 */
public record StepEvent(int k, int steps, double t, double tNext, double[] tCond, double[] r, Latents latent,
                        Latents guided, int[] samples) {

    /** x_{k+1} as Java rows. */
    public float[][] x() {
        return latent.rows();
    }

    /** v*_k as Java rows. */
    public float[][] velocity() {
        return guided.rows();
    }
}
