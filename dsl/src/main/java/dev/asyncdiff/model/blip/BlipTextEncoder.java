package dev.asyncdiff.model.blip;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.ndarray.types.DataType;
import dev.asyncdiff.model.checkpoint.CheckpointWeights;
import dev.asyncdiff.model.layers.Layers;
import dev.asyncdiff.nn.Ops;

/**
 * BLIP's text encoder in its 'multimodal' mode (med.py's BertModel, after Devlin et al. 2019): word plus absolute
 * position embeddings (no token-type embedding) and a LayerNorm; then post-LayerNorm layers, each
 * x = LN(x + dense(self-attention(x))) with the padding mask added to the scores as (1 − mask)·(−10000),
 * x = LN(x + dense(cross-attention(x → image tokens))) unmasked (ImageReward's image mask is all ones), and
 * x = LN(x + dense(GELU(dense(x)))). Scores are q·kᵀ / √head_dim in both attentions.
 */
final class BlipTextEncoder {
    private static final String P = BlipTextConfig.PREFIX;
    /** get_extended_attention_mask: what a padded key adds to every score. */
    static final float MASKED = -10000f;

    private final BlipTextConfig config;
    private final CheckpointWeights w;

    BlipTextEncoder(BlipTextConfig config, CheckpointWeights w) {
        this.config = config;
        this.w = w;
    }

    /**
     * @param ids   token ids [B, T] (INT64)
     * @param mask  1 for a prompt's token, 0 for padding [B, T]
     * @param image the image embeddings [B, N, vision width]
     * @return the last hidden state [B, T, width]
     */
    NDArray lastHiddenState(NDArray ids, NDArray mask, NDArray image) {
        long b = ids.getShape().get(0);
        long t = ids.getShape().get(1);
        if (t > config.positions() || !mask.getShape().equals(ids.getShape())) {
            throw new IllegalArgumentException("ids " + ids.getShape() + " and mask " + mask.getShape() + " must be "
                    + "[batch, tokens] alike, with at most " + config.positions() + " tokens");
        }
        NDArray positions = ids.getManager().arange(0, (int) t, 1, DataType.INT64);
        NDArray x = Layers.embedding(w.get(P + "embeddings.word_embeddings.weight"), ids)
                .add(Layers.embedding(w.get(P + "embeddings.position_embeddings.weight"), positions));
        x = Layers.layerNorm(x, w, P + "embeddings.LayerNorm", BlipTextConfig.EPS);
        NDArray bias = mask.toType(DataType.FLOAT32, false).sub(1f).mul(-MASKED).reshape(b, 1, 1, t);
        for (int i = 0; i < config.layers(); i++) {
            String p = P + "encoder.layer." + i;
            x = attention(x, x, bias, p + ".attention");
            x = attention(x, image, null, p + ".crossattention");
            NDArray f = Layers.linear(Layers.gelu(Layers.linear(x, w, p + ".intermediate.dense")), w,
                    p + ".output.dense");
            x = Layers.layerNorm(x.add(f), w, p + ".output.LayerNorm", BlipTextConfig.EPS);
        }
        return x;
    }

    /** The first token's state, [B, width]: ImageReward's text features. */
    NDArray features(NDArray ids, NDArray mask, NDArray image) {
        return lastHiddenState(ids, mask, image).get(new NDIndex(":, 0, :"));
    }

    /** BertAttention: queries from x, keys and values from context, then dense, the residual and the LayerNorm. */
    private NDArray attention(NDArray x, NDArray context, NDArray bias, String p) {
        int heads = config.heads();
        NDArray q = Ops.splitHeads(Layers.linear(x, w, p + ".self.query"), heads);
        NDArray k = Ops.splitHeads(Layers.linear(context, w, p + ".self.key"), heads);
        NDArray v = Ops.splitHeads(Layers.linear(context, w, p + ".self.value"), heads);
        NDArray out = Layers.linear(Ops.mergeHeads(Ops.attention(q, k, v, bias)[0]), w, p + ".output.dense");
        return Layers.layerNorm(x.add(out), w, p + ".output.LayerNorm", BlipTextConfig.EPS);
    }
}
