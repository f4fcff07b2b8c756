package dev.asyncdiff.model;

import java.util.Arrays;

/**
 * How a transformer cuts a [C, H, W] latent into image tokens: one token per square patch of side {@code patch}, in
 * row-major order of the patch grid; each token is one position a per-token timestep can address.
 *
 * @param latentShape [C, H, W]
 * @param patch       the side of the latent patch one token covers (2 for SD3 and for Flux's packing)
 */
public record PatchGrid(int[] latentShape, int patch) {

    public PatchGrid {
        if (latentShape.length != 3 || patch < 1 || latentShape[1] % patch != 0 || latentShape[2] % patch != 0) {
            throw new IllegalArgumentException("latent shape must be [C, H, W] with H and W multiples of the patch "
                    + "size " + patch + " (got " + Arrays.toString(latentShape) + ")");
        }
        latentShape = latentShape.clone();
    }

    @Override
    public int[] latentShape() {
        return latentShape.clone();
    }

    /** One position per image token: (H / patch) · (W / patch). */
    public int positions() {
        return (latentShape[1] / patch) * (latentShape[2] / patch);
    }

    /** Entry (c, y, x) of the flattened [C, H, W] latent belongs to the token of patch (y / patch, x / patch). */
    public int positionOf(int index) {
        int w = latentShape[2];
        int y = index / w % latentShape[1];
        int x = index % w;
        return (y / patch) * (w / patch) + x / patch;
    }
}
