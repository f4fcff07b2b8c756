package dev.asyncdiff.model.clip;

import dev.asyncdiff.model.checkpoint.ComponentConfig;

/**
 * The dimensions of a CLIP vision transformer, read from a CLIPModel's {@code vision_config} (the fields
 * transformers' CLIPVisionConfig takes): ViT-L/14 is width 1024, 24 layers, 16 heads, patch 14 at 224 pixels;
 * ViT-H/14 is width 1280, 32 layers, 16 heads.
 */
public record ClipVisionConfig(int width, int layers, int heads, int patch, int imageSize,
                               ClipConfig.Activation activation, float eps) {
    public ClipVisionConfig {
        if (patch <= 0 || imageSize % patch != 0) {
            throw new IllegalArgumentException("image_size " + imageSize + " must be a multiple of patch_size "
                    + patch);
        }
    }

    public static ClipVisionConfig of(ComponentConfig c) {
        return new ClipVisionConfig(c.integer("hidden_size"), c.integer("num_hidden_layers"),
                c.integer("num_attention_heads"), c.integer("patch_size"), c.integer("image_size"),
                ClipConfig.Activation.parse(c), (float) c.number("layer_norm_eps", ClipConfig.DEFAULT_EPS));
    }

    /** Patches per side. */
    public int side() {
        return imageSize / patch;
    }
}
