package dev.asyncdiff.sample;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import dev.asyncdiff.model.Conditioning;
import dev.asyncdiff.model.FlowModel;
import dev.asyncdiff.model.Latents;
import dev.asyncdiff.model.Timesteps;
import dev.asyncdiff.nn.NoGrad;

/** How the sampler turns the model into a guided velocity v*: classifier-free (Eq. 5) or a distilled input. */
public sealed interface Guidance permits ClassifierFreeGuidance, DistilledGuidance {

    double scale();

    /** The same kind of guidance at another scale. */
    Guidance withScale(double scale);

    /** Whether the sampler must build unconditional conditionings for this guidance. */
    boolean needsUnconditional();

    /**
     * What each guided call of a batch of {@code cond.size()} rows passes to the model, built once per batch: the
     * conditional rows followed by the unconditional ones (classifier-free), or the rows with the guidance input
     * attached (distilled).
     */
    Conditioning callConditioning(FlowModel model, Conditioning cond);

    /** The guided velocity v* [B, D] of a native batch x [B, D]; {@code call} from {@link #callConditioning}. */
    NDArray velocity(FlowModel model, NDArray x, Timesteps t, Conditioning call);

    /** The guided velocity for Java rows, one call (for callers outside a sampling run). */
    default float[][] velocity(FlowModel model, float[][] x, Timesteps t, Conditioning cond) {
        try (NoGrad ignored = NoGrad.enter(); NDManager m = NDManager.newBaseManager()) {
            return Latents.rows(velocity(model, Latents.array(m, x), t, callConditioning(model, cond)));
        }
    }

    /** A one-word name and the scale, for reports: "cfg:5.0" or "distilled:3.5". */
    String spec();

    static void checkScale(double scale) {
        if (!Double.isFinite(scale) || scale < 0) {
            throw new IllegalArgumentException("guidance must be a finite number >= 0 (got " + scale + ")");
        }
    }
}
