package dev.asyncdiff.model;

import java.util.List;

/**
 * Stands in for a backbone whose weights are not on this machine (Flux.1-dev, SD3.5-medium): it knows its latent
 * shape, so presets can be built and inspected, and fails with one clear message as soon as it is asked to run.
 */
public record UnavailableBackbone(String name, int[] latentShape) implements FlowModel {

    @Override
    public int positions() {
        return latentShape[1] * latentShape[2];
    }

    @Override
    public int positionOf(int index) {
        return index % positions();
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
