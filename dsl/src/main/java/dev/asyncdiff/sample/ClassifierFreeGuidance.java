package dev.asyncdiff.sample;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDArrays;
import ai.djl.ndarray.NDList;
import dev.asyncdiff.model.Conditioning;
import dev.asyncdiff.model.FlowModel;
import dev.asyncdiff.model.Timesteps;
import dev.asyncdiff.nn.NativeData;

/** Eq. 5: v = v_uncond + ω·(v_cond − v_uncond), with both halves evaluated in one batched model call. */
public record ClassifierFreeGuidance(double scale) implements Guidance {

    public ClassifierFreeGuidance {
        Guidance.checkScale(scale);
    }

    @Override
    public Guidance withScale(double s) {
        return new ClassifierFreeGuidance(s);
    }

    /** At ω = 1 the formula reduces to v_cond, so no unconditional pass is made. */
    @Override
    public boolean needsUnconditional() {
        return scale != 1.0;
    }

    @Override
    public Conditioning callConditioning(FlowModel model, Conditioning cond) {
        return needsUnconditional() ? cond.concat(model.unconditional(cond.size())) : cond;
    }

    @Override
    public NDArray velocity(FlowModel model, NDArray x, Timesteps t, Conditioning call) {
        if (!needsUnconditional()) {
            return model.velocity(x, t, call);
        }
        NDList halves = model.velocity(NDArrays.concat(new NDList(x, x)), t.concat(t), call).split(2);
        return combine(halves.get(0), halves.get(1));
    }

    /**
     * Eq. 5 on a batch: v_uncond + ω·(v_cond − v_uncond), entry by entry, computed in place in {@code vCond} (the
     * conditional half of the model's answer, which nothing else reads) and returned: no new array, the same
     * operations in the same order as out of place.
     */
    NDArray combine(NDArray vCond, NDArray vUncond) {
        try (NDArray w = NativeData.scalar(vCond.getManager(), (float) scale)) {   // no Java buffer (NativeData)
            return vCond.subi(vUncond).muli(w).addi(vUncond);
        }
    }

    @Override
    public String spec() {
        return "cfg:" + scale;
    }
}
