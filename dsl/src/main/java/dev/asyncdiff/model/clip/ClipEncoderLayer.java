package dev.asyncdiff.model.clip;

import ai.djl.ndarray.NDArray;
import dev.asyncdiff.model.checkpoint.CheckpointWeights;
import dev.asyncdiff.model.layers.Layers;
import dev.asyncdiff.nn.Ops;

/**
 * One layer of transformers' CLIPEncoder, the same in the text and the vision tower: x + attention(LN₁(x)), then
 * x + fc2(act(fc1(LN₂(x)))), with biased q/k/v/out projections and queries scaled by head_dim^−½.
 */
final class ClipEncoderLayer {
    private ClipEncoderLayer() {
    }

    /**
     * @param bias added to the attention scores ([1, 1, T, T], the text tower's causal mask), or null (the vision
     *             tower attends everywhere)
     * @param p    the layer's key prefix, e.g. {@code text_model.encoder.layers.3}
     */
    static NDArray apply(NDArray x, NDArray bias, CheckpointWeights w, String p, int heads,
                         ClipConfig.Activation activation, float eps) {
        NDArray h = Layers.layerNorm(x, w, p + ".layer_norm1", eps);
        NDArray q = Ops.splitHeads(Layers.linear(h, w, p + ".self_attn.q_proj"), heads);
        NDArray k = Ops.splitHeads(Layers.linear(h, w, p + ".self_attn.k_proj"), heads);
        NDArray v = Ops.splitHeads(Layers.linear(h, w, p + ".self_attn.v_proj"), heads);
        x = x.add(Layers.linear(Ops.mergeHeads(Ops.attention(q, k, v, bias)[0]), w, p + ".self_attn.out_proj"));
        h = Layers.layerNorm(x, w, p + ".layer_norm2", eps);
        return x.add(Layers.linear(activation.apply(Layers.linear(h, w, p + ".mlp.fc1")), w, p + ".mlp.fc2"));
    }
}
