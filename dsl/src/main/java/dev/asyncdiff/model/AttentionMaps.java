package dev.asyncdiff.model;

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

    /** The words of row i of {@code c} in token order: what the attention's token columns are. */
    List<String> tokenWords(Conditioning c, int i);
}
