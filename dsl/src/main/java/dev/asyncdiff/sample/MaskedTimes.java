package dev.asyncdiff.sample;

import dev.asyncdiff.model.Timesteps;

/**
 * What a step of a per-position schedule did for one sample (AsynDM): the mean time t_k of the positions inside its
 * mask (τ_in, the slower, prompt-related ones) and outside (τ_out), and the mask itself when states are recorded.
 *
 * @param tauIn  mean t_k inside the mask; NaN when the mask is empty
 * @param tauOut mean t_k outside it; NaN when it covers every position
 * @param mask   per position, whether it was inside; null unless states are recorded
 */
public record MaskedTimes(double tauIn, double tauOut, boolean[] mask) {

    /** The record of row i at times t under {@code mask}, or null for a clock without masks. */
    static MaskedTimes of(boolean[] mask, Timesteps t, int i) {
        if (mask == null) {
            return null;
        }
        double in = 0;
        double out = 0;
        int nIn = 0;
        for (int p = 0; p < mask.length; p++) {
            if (mask[p]) {
                in += t.at(i, p);
                nIn++;
            } else {
                out += t.at(i, p);
            }
        }
        int nOut = mask.length - nIn;
        return new MaskedTimes(nIn == 0 ? Double.NaN : in / nIn, nOut == 0 ? Double.NaN : out / nOut,
                mask.clone());
    }
}
