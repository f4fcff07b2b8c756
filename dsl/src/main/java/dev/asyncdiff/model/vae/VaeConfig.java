package dev.asyncdiff.model.vae;

import dev.asyncdiff.model.checkpoint.ComponentConfig;

/**
 * The dimensions and latent statistics of an AutoencoderKL, read from its config.json (the fields diffusers'
 * AutoencoderKL takes; the manifest has already refused block types other than Down/UpDecoderBlock2D).
 *
 * @param channels       block_out_channels, from the full-resolution block down (SD3.5 and Flux: 128, 256, 512, 512)
 * @param scaling        scaling_factor: the diffusion model sees (z − shift) · scaling (SD3.5 1.5305, Flux 0.3611)
 * @param shift          shift_factor, 0 where the config has none (SD3.5 0.0609, Flux 0.1159)
 * @param quantConv      whether 1×1 quant_conv / post_quant_conv sit between the encoder, latent and decoder
 */
public record VaeConfig(int[] channels, int layersPerBlock, int latentChannels, int groups, double scaling,
                        double shift, boolean midAttention, boolean quantConv, boolean postQuantConv) {
    /** diffusers builds every GroupNorm of the VAE with this epsilon. */
    public static final float EPS = 1e-6f;

    public static VaeConfig of(ComponentConfig c) {
        return new VaeConfig(c.integers("block_out_channels"), c.integer("layers_per_block"),
                c.integer("latent_channels"), c.integer("norm_num_groups", 32), c.number("scaling_factor", 1),
                c.number("shift_factor", 0), c.flag("mid_block_add_attention", true), c.flag("use_quant_conv", true),
                c.flag("use_post_quant_conv", true));
    }

    /** The factor by which the latent is smaller than the image: 2 per downsampling block. */
    public int downscale() {
        return 1 << (channels.length - 1);
    }
}
