package dev.asyncdiff.model;

import java.util.List;

/**
 * Stands in for a backbone whose weights were not given (Flux.1-dev, SD3.5-medium): it knows its latent shape and
 * how its transformer cuts the latent into image tokens, so presets can be built and inspected, and fails with one
 * clear message as soon as it is asked to run.
 *
 * @param latentShape [C, H, W]
 * @param patch       the side of the square latent patch one image token covers (2 for both: SD3 patchifies
 *                    2×2, Flux packs 2×2 before its 1×1 patches)
 */
public record UnavailableBackbone(String name, int[] latentShape, int patch) implements FlowModel {

    public UnavailableBackbone {
        new PatchGrid(latentShape, patch);
    }

    @Override
    public int positions() {
        return new PatchGrid(latentShape, patch).positions();
    }

    @Override
    public int positionOf(int index) {
        return new PatchGrid(latentShape, patch).positionOf(index);
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
        return new IllegalStateException("the " + name + " preset holds no weights: give the folder of its "
                + "diffusers checkpoint (--weights DIR, Pipeline.sd35(dir) / Pipeline.flux(dir)) or plug a FlowModel "
                + "in with .model(...)");
    }
}
