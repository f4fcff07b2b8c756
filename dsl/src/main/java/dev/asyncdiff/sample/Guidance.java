package dev.asyncdiff.sample;

import dev.asyncdiff.model.Conditioning;
import dev.asyncdiff.model.FlowModel;
import dev.asyncdiff.model.Timesteps;

/** How the sampler turns the model into a guided velocity v*: classifier-free (Eq. 5) or a distilled input. */
public sealed interface Guidance permits ClassifierFreeGuidance, DistilledGuidance {

    double scale();

    /** The same kind of guidance at another scale. */
    Guidance withScale(double scale);

    /** Whether the sampler must build unconditional conditionings for this guidance. */
    boolean needsUnconditional();

    /** The guided velocity for a batch; {@code uncond} is null when {@link #needsUnconditional()} is false. */
    float[][] velocity(FlowModel model, float[][] x, Timesteps t, Conditioning cond, Conditioning uncond);

    /** A one-word name and the scale, for reports: "cfg:5.0" or "distilled:3.5". */
    String spec();

    static void checkScale(double scale) {
        if (!Double.isFinite(scale) || scale < 0) {
            throw new IllegalArgumentException("guidance must be a finite number >= 0 (got " + scale + ")");
        }
    }
}
