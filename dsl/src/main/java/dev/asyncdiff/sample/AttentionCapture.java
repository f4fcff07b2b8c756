package dev.asyncdiff.sample;

import ai.djl.ndarray.NDArray;
import dev.asyncdiff.model.AttentionMaps;
import dev.asyncdiff.model.Conditioning;
import dev.asyncdiff.model.FlowModel;
import dev.asyncdiff.model.LatentDecoder;
import dev.asyncdiff.model.Timesteps;

import java.util.List;
import java.util.Optional;

/**
 * The model as guidance sees it, keeping the attention of the first {@code rows} rows (the conditional half of a
 * classifier-free batch) from the same forward pass that computes the velocity: how a clock reads masks from the
 * previous step's evaluation without a pass of its own.
 */
final class AttentionCapture implements FlowModel {
    private final FlowModel model;
    private final AttentionMaps maps;
    private final int rows;
    private float[][][][] captured;

    AttentionCapture(FlowModel model, int rows) {
        this.model = model;
        this.maps = (AttentionMaps) model;
        this.rows = rows;
    }

    /** [block][row][position][token] of the conditional rows of the last velocity call. */
    float[][][][] captured() {
        return captured;
    }

    @Override
    public float[][] velocity(float[][] x, Timesteps t, Conditioning c) {
        AttentionMaps.Pass pass = maps.velocityWithAttention(x, t, c);
        keep(pass.attention());
        return pass.velocity();
    }

    @Override
    public NDArray velocity(NDArray x, Timesteps t, Conditioning c) {
        AttentionMaps.NativePass pass = maps.velocityWithAttention(x, t, c);
        keep(pass.attention());
        return pass.velocity();
    }

    private void keep(float[][][][] attention) {
        float[][][][] a = new float[attention.length][][][];
        for (int b = 0; b < a.length; b++) {
            a[b] = java.util.Arrays.copyOf(attention[b], rows);
        }
        captured = a;
    }

    @Override
    public int[] latentShape() {
        return model.latentShape();
    }

    @Override
    public int positions() {
        return model.positions();
    }

    @Override
    public int positionOf(int index) {
        return model.positionOf(index);
    }

    @Override
    public Conditioning encode(List<String> prompts) {
        return model.encode(prompts);
    }

    @Override
    public void validate(List<String> prompts) {
        model.validate(prompts);
    }

    @Override
    public Conditioning unconditional(int n) {
        return model.unconditional(n);
    }

    @Override
    public Conditioning resident(Conditioning c, ai.djl.ndarray.NDManager manager) {
        return model.resident(c, manager);
    }

    @Override
    public Conditioning withGuidanceInput(Conditioning c, double scale) {
        return model.withGuidanceInput(c, scale);
    }

    @Override
    public Optional<LatentDecoder> decoder() {
        return model.decoder();
    }
}
