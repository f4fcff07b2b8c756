package dev.asyncdiff.model;

import ai.djl.ndarray.NDArray;

import java.util.List;

/**
 * A backbone that exposes its image→text attention, what AsynDM reads its masks from.
 */
public interface AttentionMaps {
    /**
     * Attention probabilities of one forward pass, per block, averaged over heads: [block][sample][position][token],
     * each position's row a distribution over the sample's valid text tokens.
     */
    float[][][][] crossAttention(float[][] x, Timesteps t, Conditioning c);

    /** The velocity and the attention of the same forward pass (what a sampler that also reads masks calls). */
    record Pass(float[][] velocity, float[][][][] attention) {
    }

    Pass velocityWithAttention(float[][] x, Timesteps t, Conditioning c);

    /** A pass on a native batch: the velocity [B, D] in the input's manager, the attention as Java arrays. */
    record NativePass(NDArray velocity, float[][][][] attention) {
    }

    /** {@link #velocityWithAttention(float[][], Timesteps, Conditioning)} on a native batch x [B, D]. */
    default NativePass velocityWithAttention(NDArray x, Timesteps t, Conditioning c) {
        Pass p = velocityWithAttention(Latents.rows(x), t, c);
        return new NativePass(Latents.array(x.getManager(), p.velocity()), p.attention());
    }

    /** The words of row i of {@code c} in token order: what the attention's token columns are. */
    List<String> tokenWords(Conditioning c, int i);
}
