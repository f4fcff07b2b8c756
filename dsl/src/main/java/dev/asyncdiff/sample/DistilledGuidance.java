package dev.asyncdiff.sample;

import ai.djl.ndarray.NDArray;
import dev.asyncdiff.model.Conditioning;
import dev.asyncdiff.model.FlowModel;
import dev.asyncdiff.model.Timesteps;

/**
 * Guidance-distilled backbones (Flux.1-dev) take the guidance scale as an input and need one conditional pass;
 * the model receives it through {@link FlowModel#withGuidanceInput}.
 */
public record DistilledGuidance(double scale) implements Guidance {

    public DistilledGuidance {
        Guidance.checkScale(scale);
    }

    @Override
    public Guidance withScale(double s) {
        return new DistilledGuidance(s);
    }

    @Override
    public boolean needsUnconditional() {
        return false;
    }

    @Override
    public Conditioning callConditioning(FlowModel model, Conditioning cond) {
        return model.withGuidanceInput(cond, scale);
    }

    @Override
    public NDArray velocity(FlowModel model, NDArray x, Timesteps t, Conditioning call) {
        return model.velocity(x, t, call);
    }

    @Override
    public String spec() {
        return "distilled:" + scale;
    }
}
