package dev.asyncdiff.model.flux;

import dev.asyncdiff.model.checkpoint.ComponentConfig;
import dev.asyncdiff.model.checkpoint.PublishedTransformer;

import java.util.Arrays;

/**
 * The dimensions of a Flux transformer, read from its config.json (the fields diffusers' FluxTransformer2DModel
 * takes).
 *
 * @param inChannels   channels of the packed latent: 4 × the VAE's latent channels (2×2 packing)
 * @param guidance     whether the model takes a distilled guidance scale as an input (Flux.1-dev; not schnell)
 * @param axesDimsRope the head channels each position axis rotates (16, 56, 56): they sum to {@code headDim}
 */
public record FluxConfig(int heads, int headDim, int doubleLayers, int singleLayers, int patch, int inChannels,
                         int outChannels, int jointDim, int pooledDim, boolean guidance, int[] axesDimsRope) {
    /** diffusers' default RoPE axes, used when config.json names none. */
    static final int[] DEFAULT_AXES = {16, 56, 56};
    /** Side of the square of latent pixels one token packs. */
    public static final int PACK = 2;

    public FluxConfig {
        if (Arrays.stream(axesDimsRope).sum() != headDim
                || Arrays.stream(axesDimsRope).anyMatch(d -> d <= 0 || d % 2 != 0)) {
            throw new IllegalArgumentException("axes_dims_rope " + Arrays.toString(axesDimsRope) + " must be even "
                    + "positive sizes summing to attention_head_dim " + headDim);
        }
        if (patch != 1 || inChannels % (PACK * PACK) != 0 || outChannels != inChannels) {
            throw new IllegalArgumentException("a Flux transformer takes 2×2-packed latents with patch_size 1 and "
                    + "as many output channels as input channels, a multiple of 4 (got patch_size " + patch
                    + ", in_channels " + inChannels + ", out_channels " + outChannels + ")");
        }
        axesDimsRope = axesDimsRope.clone();
    }

    public static FluxConfig of(ComponentConfig c) {
        int in = c.integer("in_channels");
        int[] axes = c.integers("axes_dims_rope");
        return new FluxConfig(c.integer("num_attention_heads"), c.integer("attention_head_dim"),
                c.integer("num_layers"), c.integer("num_single_layers"), c.integer("patch_size", 1), in,
                c.integer("out_channels", in), c.integer("joint_attention_dim"), c.integer("pooled_projection_dim"),
                c.flag("guidance_embeds", false), axes.length == 0 ? DEFAULT_AXES : axes);
    }

    /** Flux.1-dev's transformer: width 3072 (24 heads × 128), 19 double- and 38 single-stream blocks, guidance. */
    public static FluxConfig dev() {
        return of(PublishedTransformer.FLUX1_DEV.config());
    }

    public int width() {
        return heads * headDim;
    }

    /** Channels of the unpacked latent (the VAE's). */
    public int latentChannels() {
        return inChannels / (PACK * PACK);
    }

    @Override
    public int[] axesDimsRope() {
        return axesDimsRope.clone();
    }
}
