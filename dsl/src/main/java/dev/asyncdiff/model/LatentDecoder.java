package dev.asyncdiff.model;

import java.awt.image.BufferedImage;

/** Turns one flattened latent into an RGB image (the backbone's VAE decoder). */
public interface LatentDecoder {
    BufferedImage decode(float[] latent);
}
