package dev.asyncdiff.model.vae;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.index.NDIndex;
import dev.asyncdiff.model.checkpoint.Architecture;
import dev.asyncdiff.model.checkpoint.CheckpointWeights;
import dev.asyncdiff.model.checkpoint.ComponentLoader;
import dev.asyncdiff.model.device.Placement;
import dev.asyncdiff.model.layers.Layers;
import dev.asyncdiff.nn.Ops;

import java.nio.file.Path;

/**
 * diffusers' AutoencoderKL (the VAE of SD3.5 and Flux.1) on the weights of a published {@code vae/} folder. The
 * diffusion model works on latents (z − shift)·scaling; {@link #decode} undoes that with this VAE's own factors
 * from its config.json and returns images [B, 3, H, W] on the decoder's [−1, 1] scale, unclamped;
 * {@link #encode} gives the latent of an image (the mode of the encoder's Gaussian), scaled and shifted.
 * <p>
 * Every array a pass makes belongs to the manager of its input; the weights belong to this model.
 */
public final class AutoencoderKl implements AutoCloseable {
    private final NDManager manager;
    private final VaeConfig config;
    private final CheckpointWeights w;
    private final VaeBlocks blocks;

    private AutoencoderKl(NDManager manager, VaeConfig config, CheckpointWeights w) {
        this.manager = manager;
        this.config = config;
        this.w = w;
        this.blocks = new VaeBlocks(w, config);
    }

    /** Loads a vae folder, FP32 on the CPU, after checking its headers against the manifest of its config. */
    public static AutoencoderKl load(Path dir) {
        return load(dir, Placement.cpu());
    }

    /** Loads a vae folder as {@code placement} says, after checking its headers against the manifest. */
    public static AutoencoderKl load(Path dir, Placement placement) {
        return ComponentLoader.load(dir, placement, (manager, folder) -> new AutoencoderKl(manager,
                VaeConfig.of(folder.config()), CheckpointWeights.load(manager, folder,
                Architecture.AUTOENCODER_KL.manifest(folder.config()), placement)));
    }

    public VaeConfig config() {
        return config;
    }

    /** Latents [B, latent_channels, h, w] as the diffusion model sees them → images [B, 3, h·f, w·f] in ≈ [−1, 1]. */
    public NDArray decode(NDArray latents) {
        NDArray z = latents.div((float) config.scaling()).add((float) config.shift());
        if (config.postQuantConv()) {
            z = Layers.conv(z, w, "post_quant_conv");
        }
        int[] ch = config.channels();
        NDArray h = blocks.midBlock(Layers.conv(z, w, "decoder.conv_in"), "decoder.mid_block");
        int prev = ch[ch.length - 1];
        for (int i = 0; i < ch.length; i++) {
            int width = ch[ch.length - 1 - i];
            for (int j = 0; j <= config.layersPerBlock(); j++) {
                h = blocks.resnet(h, "decoder.up_blocks." + i + ".resnets." + j, j == 0 && prev != width);
            }
            if (i < ch.length - 1) {
                h = blocks.upsample(h, "decoder.up_blocks." + i + ".upsamplers.0");
            }
            prev = width;
        }
        return Layers.conv(Ops.silu(blocks.norm(h, "decoder.conv_norm_out")), w, "decoder.conv_out");
    }

    /** Images [B, 3, H, W] in [−1, 1] → latents (mean − shift)·scaling [B, latent_channels, H/f, W/f]. */
    public NDArray encode(NDArray images) {
        int[] ch = config.channels();
        NDArray h = Layers.conv(images, w, "encoder.conv_in");
        int prev = ch[0];
        for (int i = 0; i < ch.length; i++) {
            for (int j = 0; j < config.layersPerBlock(); j++) {
                h = blocks.resnet(h, "encoder.down_blocks." + i + ".resnets." + j, j == 0 && prev != ch[i]);
            }
            if (i < ch.length - 1) {
                h = blocks.downsample(h, "encoder.down_blocks." + i + ".downsamplers.0");
            }
            prev = ch[i];
        }
        h = blocks.midBlock(h, "encoder.mid_block");
        NDArray moments = Layers.conv(Ops.silu(blocks.norm(h, "encoder.conv_norm_out")), w, "encoder.conv_out");
        if (config.quantConv()) {
            moments = Layers.conv(moments, w, "quant_conv");
        }
        NDArray mean = moments.get(new NDIndex(":, :" + config.latentChannels()));
        return mean.sub((float) config.shift()).mul((float) config.scaling());
    }

    @Override
    public void close() {
        manager.close();
    }
}
