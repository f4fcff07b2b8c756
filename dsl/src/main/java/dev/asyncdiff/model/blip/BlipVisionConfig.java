package dev.asyncdiff.model.blip;

import dev.asyncdiff.model.checkpoint.StateDictShapes;
import dev.asyncdiff.model.checkpoint.TensorEntry;

import java.util.Map;

/**
 * The dimensions of BLIP's vision transformer (timm's ViT as BLIP's vit.py adapts it; ImageReward uses
 * {@code create_vit('large', 224)}: width 1024, 24 blocks, 16 heads, 16-pixel patches, 224-pixel images), read from
 * the state dict's shapes: the width from {@code cls_token}, the patch from the patch convolution's kernel, the image
 * size from the position table (a class token and side² patches), the depth from the numbered blocks.
 */
public record BlipVisionConfig(int width, int depth, int heads, int patch, int imageSize) {
    /** The key prefix of the vision transformer in ImageReward's state dict. */
    public static final String PREFIX = "blip.visual_encoder.";
    /** timm's ViT LayerNorm as BLIP builds it: {@code partial(nn.LayerNorm, eps=1e-6)}. */
    public static final float EPS = 1e-6f;
    /** The MLP's hidden width per unit of model width ({@code mlp_ratio=4.}). */
    public static final int MLP_RATIO = 4;

    public BlipVisionConfig {
        if (width <= 0 || depth <= 0 || patch <= 0 || heads <= 0 || width % heads != 0) {
            throw new IllegalArgumentException("vision width " + width + " must be a positive multiple of its "
                    + heads + " heads, with at least one block (got " + depth + ") and a positive patch (got "
                    + patch + ")");
        }
        if (imageSize <= 0 || imageSize % patch != 0) {
            throw new IllegalArgumentException("image size " + imageSize + " must be a positive multiple of the patch "
                    + patch);
        }
    }

    /** The dimensions of the state dict's vision transformer with {@code heads} heads. */
    public static BlipVisionConfig of(Map<String, TensorEntry> tensors, int heads) {
        int width = StateDictShapes.dim(tensors, PREFIX + "cls_token", 2, "vision width");
        int patch = StateDictShapes.dim(tensors, PREFIX + "patch_embed.proj.weight", 2, "patch size");
        int positions = StateDictShapes.dim(tensors, PREFIX + "pos_embed", 1, "image size");
        int side = (int) Math.round(Math.sqrt(positions - 1));
        if (positions < 2 || side * side != positions - 1) {
            throw new IllegalArgumentException(PREFIX + "pos_embed holds " + positions + " positions; a class token "
                    + "and a square of patches need 1 + side²");
        }
        return new BlipVisionConfig(width, StateDictShapes.count(tensors, PREFIX + "blocks."), heads, patch,
                side * patch);
    }

    /** Patches per side. */
    public int side() {
        return imageSize / patch;
    }

    /** Tokens of an image: the class token and every patch. */
    public int tokens() {
        return side() * side() + 1;
    }
}
