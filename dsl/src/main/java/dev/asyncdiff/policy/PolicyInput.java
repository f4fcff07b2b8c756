package dev.asyncdiff.policy;

import dev.asyncdiff.model.Conditioning;
import dev.asyncdiff.sample.SampleStream;

/**
 * What a policy sees at step k (the TPM's inputs, Eq. 7): the current latent x_k, and from the previous step the
 * guided velocity v*, the pseudo-timestep t* and the clean-image prediction x0 = x − t·v* (all null at k = 0).
 *
 * @param step    k
 * @param grid    t_0 … t_K
 * @param random  each sample's own random stream (policies that sample draw from it, never from a shared one)
 * @param samples the global index of each row, for policies that keep per-sample state
 * @param prompts each row's prompt, for policies that read its category (a distilled policy)
 */
public record PolicyInput(int step, double[] grid, float[][] x, float[][] previousVelocity, double[] previousTCond,
                          float[][] previousX0, Conditioning condition, SampleStream[] random, int[] samples,
                          java.util.List<String> prompts) {

    public int size() {
        return x.length;
    }
}
