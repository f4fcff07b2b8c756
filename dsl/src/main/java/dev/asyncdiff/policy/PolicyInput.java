package dev.asyncdiff.policy;

import dev.asyncdiff.model.Conditioning;
import dev.asyncdiff.model.Latents;
import dev.asyncdiff.sample.SampleStream;

/**
 * What a policy sees at step k (the TPM's inputs, Eq. 7): the current latent x_k, and from the previous step the
 * guided velocity v*, the pseudo-timestep t* and the clean-image prediction x0 = x − t·v* (all null at k = 0).
 * Inside a sampling run the tensors are the loop's native ones; {@link #x()} and the other row accessors copy them
 * to Java on first use, during the policy's call.
 *
 * @param step             k
 * @param grid             t_0 … t_K
 * @param latent           x_k
 * @param velocity         v*_{k−1}, null at k = 0
 * @param previousTCond    t*_{k−1}, null at k = 0
 * @param cleanPrediction  x0_{k−1}, null at k = 0
 * @param random           each sample's own random stream (policies that sample draw from it, never from a shared one)
 * @param samples          the global index of each row, for policies that keep per-sample state
 * @param prompts          each row's prompt, for policies that read its category (a distilled policy)
 */
public record PolicyInput(int step, double[] grid, Latents latent, Latents velocity, double[] previousTCond,
                          Latents cleanPrediction, Conditioning condition, SampleStream[] random, int[] samples,
                          java.util.List<String> prompts) {

    /** The same from Java rows. */
    public PolicyInput(int step, double[] grid, float[][] x, float[][] previousVelocity, double[] previousTCond,
                       float[][] previousX0, Conditioning condition, SampleStream[] random, int[] samples,
                       java.util.List<String> prompts) {
        this(step, grid, Latents.of(x), Latents.of(previousVelocity), previousTCond, Latents.of(previousX0),
                condition, random, samples, prompts);
    }

    public int size() {
        return latent.size();
    }

    /** Entries in one latent. */
    public int latentSize() {
        return latent.width();
    }

    /** x_k as Java rows. */
    public float[][] x() {
        return latent.rows();
    }

    /** v*_{k−1} as Java rows, null at k = 0. */
    public float[][] previousVelocity() {
        return velocity == null ? null : velocity.rows();
    }

    /** x0_{k−1} as Java rows, null at k = 0. */
    public float[][] previousX0() {
        return cleanPrediction == null ? null : cleanPrediction.rows();
    }
}
