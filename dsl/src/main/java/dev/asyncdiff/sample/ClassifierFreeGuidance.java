package dev.asyncdiff.sample;

import dev.asyncdiff.model.Conditioning;
import dev.asyncdiff.model.FlowModel;
import dev.asyncdiff.model.Timesteps;

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
    public float[][] velocity(FlowModel model, float[][] x, Timesteps t, Conditioning cond, Conditioning uncond) {
        if (!needsUnconditional()) {
            return model.velocity(x, t, cond);
        }
        int n = x.length;
        float[][] both = new float[2 * n][];
        for (int i = 0; i < n; i++) {
            both[i] = x[i];
            both[n + i] = x[i];
        }
        float[][] v = model.velocity(both, t.concat(t), cond.concat(uncond));
        float[][] out = new float[n][];
        for (int i = 0; i < n; i++) {
            out[i] = combine(v[i], v[n + i]);
        }
        return out;
    }

    /** Eq. 5 on one sample. */
    public float[] combine(float[] vCond, float[] vUncond) {
        float[] out = new float[vCond.length];
        float w = (float) scale;
        for (int j = 0; j < out.length; j++) {
            out[j] = vUncond[j] + w * (vCond[j] - vUncond[j]);
        }
        return out;
    }

    @Override
    public String spec() {
        return "cfg:" + scale;
    }
}
