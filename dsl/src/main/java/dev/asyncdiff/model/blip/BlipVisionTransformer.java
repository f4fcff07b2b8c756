package dev.asyncdiff.model.blip;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.types.Shape;
import dev.asyncdiff.model.checkpoint.CheckpointWeights;
import dev.asyncdiff.model.layers.Layers;
import dev.asyncdiff.nn.Ops;

/**
 * BLIP's vision transformer (Dosovitskiy et al. 2021 as timm writes it, BLIP's vit.py): a biased stride-patch
 * convolution, the class token in front, learned positions added, pre-LayerNorm blocks x + attn(norm1(x)) with one
 * fused qkv projection (queries scaled by head_dim^−½), then x + fc2(GELU(fc1(norm2(x)))), and the final norm on
 * every token. ImageReward keeps the whole normed sequence as the image embedding, the cross-attention's context.
 */
final class BlipVisionTransformer {
    private static final String P = BlipVisionConfig.PREFIX;

    private final BlipVisionConfig config;
    private final CheckpointWeights w;

    BlipVisionTransformer(BlipVisionConfig config, CheckpointWeights w) {
        this.config = config;
        this.w = w;
    }

    /** @param pixels normalised images [B, 3, S, S]; returns the image embedding [B, 1 + (S/patch)², width] */
    NDArray tokens(NDArray pixels) {
        Shape s = pixels.getShape();
        int size = config.imageSize();
        if (s.dimension() != 4 || s.get(1) != 3 || s.get(2) != size || s.get(3) != size) {
            throw new IllegalArgumentException("pixels " + s + " must be [batch, 3, " + size + ", " + size + "]");
        }
        long b = s.get(0);
        long d = config.width();
        int patches = config.side() * config.side();
        NDArray x = Ops.convolution(pixels, w.get(P + "patch_embed.proj.weight"), w.get(P + "patch_embed.proj.bias"),
                config.patch(), 0);
        x = x.reshape(b, d, patches).transpose(0, 2, 1);
        // an operation's result belongs to its first operand's manager: the class tokens are moved to the pass's
        // manager before they lead the sequence, or every later activation would be kept until the model closes
        NDArray cls = w.get(P + "cls_token").broadcast(b, 1, d);
        cls.attach(x.getManager());
        x = cls.concat(x, 1).add(w.get(P + "pos_embed"));
        for (int i = 0; i < config.depth(); i++) {
            x = block(x, P + "blocks." + i);
        }
        return Layers.layerNorm(x, w, P + "norm", BlipVisionConfig.EPS);
    }

    private NDArray block(NDArray x, String p) {
        NDArray h = Layers.layerNorm(x, w, p + ".norm1", BlipVisionConfig.EPS);
        NDList qkv = Layers.linear(h, w, p + ".attn.qkv").split(3, 2); // q, k, v: thirds of the last axis
        NDArray q = Ops.splitHeads(qkv.get(0), config.heads());
        NDArray k = Ops.splitHeads(qkv.get(1), config.heads());
        NDArray v = Ops.splitHeads(qkv.get(2), config.heads());
        x = x.add(Layers.linear(Ops.mergeHeads(Ops.attention(q, k, v, null)[0]), w, p + ".attn.proj"));
        h = Layers.layerNorm(x, w, p + ".norm2", BlipVisionConfig.EPS);
        return x.add(Layers.linear(Layers.gelu(Layers.linear(h, w, p + ".mlp.fc1")), w, p + ".mlp.fc2"));
    }
}
