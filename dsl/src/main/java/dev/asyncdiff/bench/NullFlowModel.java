package dev.asyncdiff.bench;

import dev.asyncdiff.model.Conditioning;
import dev.asyncdiff.model.FlowModel;
import dev.asyncdiff.model.Timesteps;
import dev.asyncdiff.model.gmm.ComponentCondition;

import java.util.List;

/**
 * A model that costs (almost) nothing: it hands back preallocated velocity rows, or natively one filled array, so
 * timing it times the sampler alone.
 */
final class NullFlowModel implements FlowModel {
    private final int dim;
    private final float[][] rows;

    NullFlowModel(int dim, int maxBatch) {
        this.dim = dim;
        this.rows = new float[maxBatch][dim];
        for (float[] r : rows) {
            java.util.Arrays.fill(r, 0.01f);
        }
    }

    @Override
    public int[] latentShape() {
        return new int[] {dim};
    }

    @Override
    public int positions() {
        return dim;
    }

    @Override
    public int positionOf(int index) {
        return index;
    }

    @Override
    public Conditioning encode(List<String> prompts) {
        return new ComponentCondition(new int[prompts.size()]);
    }

    @Override
    public Conditioning unconditional(int n) {
        return new ComponentCondition(new int[n]);
    }

    @Override
    public float[][] velocity(float[][] x, Timesteps t, Conditioning c) {
        return java.util.Arrays.copyOf(rows, x.length);
    }

    @Override
    public ai.djl.ndarray.NDArray velocity(ai.djl.ndarray.NDArray x, Timesteps t, Conditioning c) {
        return x.getManager().full(x.getShape(), 0.01f);
    }
}
