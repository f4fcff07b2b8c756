package dev.asyncdiff.model.sd3;

import dev.asyncdiff.model.checkpoint.ComponentConfig;
import dev.asyncdiff.model.checkpoint.PublishedTransformer;

import java.util.Arrays;

/**
 * The dimensions of an SD3 MMDiT, read from its config.json (the fields diffusers' SD3Transformer2DModel takes).
 *
 * @param dualAttention the layers with a second, image-only attention (SD3.5: 0–12)
 * @param posMaxSize    side of the stored position table the latent's grid is cropped from
 */
public record Sd3Config(int heads, int headDim, int layers, int patch, int inChannels, int outChannels,
                        int jointDim, int captionDim, int pooledDim, int posMaxSize, int[] dualAttention,
                        boolean qkNorm) {

    public static Sd3Config of(ComponentConfig c) {
        int in = c.integer("in_channels");
        return new Sd3Config(c.integer("num_attention_heads"), c.integer("attention_head_dim"),
                c.integer("num_layers"), c.integer("patch_size"), in, c.integer("out_channels", in),
                c.integer("joint_attention_dim"), c.integer("caption_projection_dim"),
                c.integer("pooled_projection_dim"), c.integer("pos_embed_max_size"),
                c.integers("dual_attention_layers"), c.string("qk_norm", null) != null);
    }

    /** SD3.5-medium's transformer: width 1536 (24 heads × 64), 24 layers, dual attention in layers 0–12. */
    public static Sd3Config sd35Medium() {
        return of(PublishedTransformer.SD35_MEDIUM.config());
    }

    public int width() {
        return heads * headDim;
    }

    public boolean dual(int layer) {
        return Arrays.stream(dualAttention).anyMatch(d -> d == layer);
    }
}
