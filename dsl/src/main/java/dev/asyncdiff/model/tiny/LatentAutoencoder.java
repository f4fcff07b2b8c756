package dev.asyncdiff.model.tiny;

import ai.djl.ndarray.NDArray;
import dev.asyncdiff.nn.Ops;
import dev.asyncdiff.nn.Params;

import static dev.asyncdiff.nn.Ops.conv;
import static dev.asyncdiff.nn.Ops.silu;
import static dev.asyncdiff.nn.Ops.upConv;

/**
 * The "VAE" of the tiny backbone: a deterministic convolutional autoencoder between 64×64 RGB images in [−1, 1]
 * ([B, 3, 64, 64]) and 16×16×4 latents ([B, 4, 16, 16]). Latents handed to the flow model are multiplied by
 * {@code latentScale}, fitted after training so that they have unit variance (as SD's VAE scale factor).
 */
final class LatentAutoencoder {
    static final int IMAGE = 64;
    static final int LATENT_CHANNELS = 4;
    static final int LATENT = 16;
    private static final int C1 = 32;
    private static final int C2 = 64;
    private static final int C3 = 96;

    private final Params params;
    private final float latentScale;

    LatentAutoencoder(Params params, float latentScale) {
        this.params = params;
        this.latentScale = latentScale;
    }

    static Params.Layout layout() {
        Params.Layout l = new Params.Layout()
                .conv("enc.in", 3, C1, 3)
                .conv("enc.down1", C1, C2, 4)
                .conv("enc.down2", C2, C3, 4);
        residual(l, "enc.res", C3);
        l.conv("enc.out", C3, LATENT_CHANNELS, 3)
                .conv("dec.in", LATENT_CHANNELS, C3, 3);
        residual(l, "dec.res1", C3);
        l.upConv("dec.up1", C3, C2);
        residual(l, "dec.res2", C2);
        l.upConv("dec.up2", C2, C1)
                .conv("dec.out", C1, 3, 3);
        return l;
    }

    private static void residual(Params.Layout l, String name, int c) {
        l.conv(name + ".a", c, c, 3).add(name + ".b.w", Params.Init.ZERO, c, c, 3, 3).add(name + ".b.b",
                Params.Init.ZERO, c);
    }

    Params params() {
        return params;
    }

    float latentScale() {
        return latentScale;
    }

    /** Images [B, 3, 64, 64] in [−1, 1] → unscaled latents [B, 4, 16, 16]. */
    NDArray encode(NDArray images) {
        NDArray h = silu(conv(images, params, "enc.in", 1));
        h = silu(conv(h, params, "enc.down1", 2));
        h = silu(conv(h, params, "enc.down2", 2));
        h = residual(h, "enc.res");
        return conv(h, params, "enc.out", 1);
    }

    /** Unscaled latents [B, 4, 16, 16] → images [B, 3, 64, 64], roughly in [−1, 1]. */
    NDArray decode(NDArray latents) {
        NDArray h = silu(conv(latents, params, "dec.in", 1));
        h = residual(h, "dec.res1");
        h = silu(upConv(h, params, "dec.up1"));
        h = residual(h, "dec.res2");
        h = silu(upConv(h, params, "dec.up2"));
        return conv(h, params, "dec.out", 1);
    }

    private NDArray residual(NDArray x, String name) {
        NDArray h = silu(conv(x, params, name + ".a", 1));
        return silu(x.add(conv(h, params, name + ".b", 1)));
    }
}
