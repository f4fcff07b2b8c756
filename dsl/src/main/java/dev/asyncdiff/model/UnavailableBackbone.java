package dev.asyncdiff.model;

import java.util.List;

/**
 * Stands in for a backbone whose weights are not on this machine (Flux.1-dev, SD3.5-medium): it knows its latent
 * shape and how its transformer cuts the latent into image tokens, so presets can be built and inspected, and fails
 * with one clear message as soon as it is asked to run.
 *
 * @param latentShape [C, H, W]
 * @param patch       the side of the square latent patch one image token covers (2 for both: SD3 patchifies
 *                    2×2, Flux packs 2×2 before its 1×1 patches)
 */
public record UnavailableBackbone(String name, int[] latentShape, int patch) implements FlowModel {

    public UnavailableBackbone {
        if (latentShape.length != 3 || patch < 1 || latentShape[1] % patch != 0 || latentShape[2] % patch != 0) {
            throw new IllegalArgumentException("latent shape must be [C, H, W] with H and W multiples of the patch "
                    + "size " + patch + " (got " + java.util.Arrays.toString(latentShape) + ")");
        }
    }

    /** One position per image token: (H / patch) · (W / patch). */
    @Override
    public int positions() {
        return (latentShape[1] / patch) * (latentShape[2] / patch);
    }

    /** Entry (c, y, x) of the flattened [C, H, W] latent belongs to the token of patch (y / patch, x / patch). */
    @Override
    public int positionOf(int index) {
        int w = latentShape[2];
        int y = index / w % latentShape[1];
        int x = index % w;
        return (y / patch) * (w / patch) + x / patch;
    }

    @Override
    public Conditioning encode(List<String> prompts) {
        throw missing();
    }

    @Override
    public Conditioning unconditional(int n) {
        throw missing();
    }

    @Override
    public float[][] velocity(float[][] x, Timesteps t, Conditioning c) {
        throw missing();
    }

    private IllegalStateException missing() {
        return new IllegalStateException("the " + name + " backbone is not available here: its weights cannot be "
                + "downloaded on this machine; plug a FlowModel in with .model(...) or use Pipeline.gmm(...)");
    }
}
