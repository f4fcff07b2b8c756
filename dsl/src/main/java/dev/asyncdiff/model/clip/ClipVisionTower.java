package dev.asyncdiff.model.clip;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.index.NDIndex;
import dev.asyncdiff.model.checkpoint.CheckpointWeights;
import dev.asyncdiff.model.layers.Layers;

/**
 * CLIP's vision transformer (Radford et al. 2021, §2.4; transformers' CLIPVisionTransformer): the image cut into
 * patch × patch squares, each projected by the bias-free patch convolution (written here as one matrix product over
 * the flattened patches, which is what a stride-patch convolution computes), a learned class token in front, learned
 * positions added, the "pre_layrnorm", the encoder layers without a mask, and the post-LayerNorm on the class token.
 */
final class ClipVisionTower {
    private static final String P = "vision_model.";

    private final ClipVisionConfig config;
    private final CheckpointWeights w;

    ClipVisionTower(ClipVisionConfig config, CheckpointWeights w) {
        this.config = config;
        this.w = w;
    }

    /** @param pixels normalised images [B, C, S, S], S = image_size; returns the pooled class token [B, D] */
    NDArray pooled(NDArray pixels) {
        NDArray kernel = w.get(P + "embeddings.patch_embedding.weight");
        long c = kernel.getShape().get(1);
        long s = config.imageSize();
        if (pixels.getShape().dimension() != 4 || pixels.getShape().get(1) != c || pixels.getShape().get(2) != s
                || pixels.getShape().get(3) != s) {
            throw new IllegalArgumentException("pixels " + pixels.getShape() + " must be [batch, " + c + ", " + s
                    + ", " + s + "]");
        }
        long b = pixels.getShape().get(0);
        long p = config.patch();
        long n = config.side();
        long d = config.width();
        // [B, C, n·p, n·p] → [B, n·n patches (row-major), C·p·p in the kernel's (c, y, x) order]
        NDArray patches = pixels.reshape(b, c, n, p, n, p).transpose(0, 2, 4, 1, 3, 5).reshape(b, n * n, c * p * p);
        NDArray x = patches.matMul(kernel.reshape(d, c * p * p).transpose());
        NDArray cls = w.get(P + "embeddings.class_embedding").reshape(1, 1, d).broadcast(b, 1, d);
        cls.attach(x.getManager()); // a result belongs to its first operand's manager: keep the pass off the weights'
        x = cls.concat(x, 1).add(w.get(P + "embeddings.position_embedding.weight"));
        x = Layers.layerNorm(x, w, P + "pre_layrnorm", config.eps());
        for (int i = 0; i < config.layers(); i++) {
            x = ClipEncoderLayer.apply(x, null, w, P + "encoder.layers." + i, config.heads(), config.activation(),
                    config.eps());
        }
        return Layers.layerNorm(x.get(new NDIndex(":, 0, :")), w, P + "post_layernorm", config.eps());
    }
}
