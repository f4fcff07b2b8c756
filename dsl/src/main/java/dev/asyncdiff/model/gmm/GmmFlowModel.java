package dev.asyncdiff.model.gmm;

import dev.asyncdiff.model.Conditioning;
import dev.asyncdiff.model.FlowModel;
import dev.asyncdiff.model.Timesteps;

import java.util.Arrays;
import java.util.List;

/**
 * The exact flow-matching velocity of a Gaussian mixture: the sampler test bed.
 *
 * <p>For a component with mean μ and std s, x_t = (1 − t)·x0 + t·ε is Gaussian per coordinate with mean (1 − t)μ
 * and variance V = (1 − t)²s² + t², and E[ε − x0 | x_t = x, k] = (t − (1 − t)s²)/V · (x − (1 − t)μ) − μ.
 * The mixture velocity weights these by the posterior p(k | x_t = x). Components are isotropic, so coordinates are
 * independent given k and each coordinate may carry its own t (per-token timesteps): the posterior then multiplies
 * per-coordinate likelihoods, each at its own t.
 *
 * <p>Prompts: "" is the whole mixture (unconditional); "i" conditions on component i.
 */
public final class GmmFlowModel implements FlowModel {
    private static final double NEGLIGIBLE_LOG_WEIGHT = -60.0;
    private final GmmSpec spec;
    private final double[] logWeights;

    public GmmFlowModel(GmmSpec spec) {
        this.spec = spec;
        this.logWeights = Arrays.stream(spec.weights()).map(Math::log).toArray();
    }

    public GmmSpec spec() {
        return spec;
    }

    @Override
    public int[] latentShape() {
        return new int[] {spec.dimension()};
    }

    @Override
    public int positions() {
        return spec.dimension();
    }

    @Override
    public int positionOf(int index) {
        return index;
    }

    @Override
    public Conditioning encode(List<String> prompts) {
        int[] c = new int[prompts.size()];
        for (int i = 0; i < c.length; i++) {
            c[i] = component(prompts.get(i));
        }
        return new ComponentCondition(c);
    }

    private int component(String prompt) {
        String p = prompt.trim();
        if (p.isEmpty()) {
            return ComponentCondition.WHOLE_MIXTURE;
        }
        int k;
        try {
            k = Integer.parseInt(p);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("gmm prompt '" + prompt + "' must be \"\" (whole mixture) or a "
                    + "component index 0.." + (spec.components() - 1));
        }
        if (k < 0 || k >= spec.components()) {
            throw new IllegalArgumentException("gmm component " + k + " is out of range: the spec has "
                    + spec.components() + " components (0.." + (spec.components() - 1) + ")");
        }
        return k;
    }

    @Override
    public Conditioning unconditional(int n) {
        int[] c = new int[n];
        Arrays.fill(c, ComponentCondition.WHOLE_MIXTURE);
        return new ComponentCondition(c);
    }

    @Override
    public float[][] velocity(float[][] x, Timesteps t, Conditioning c) {
        int[] comp = ((ComponentCondition) c).components();
        int d = spec.dimension();
        float[][] v = new float[x.length][d];
        double[] tRow = new double[d];
        for (int i = 0; i < x.length; i++) {
            if (t instanceof Timesteps.PerSample ps) {
                Arrays.fill(tRow, ps.t()[i]);
            } else {
                System.arraycopy(((Timesteps.PerToken) t).t()[i], 0, tRow, 0, d);
            }
            velocityOf(x[i], tRow, comp[i], v[i]);
        }
        return v;
    }

    /** Writes E[ε − x0 | x_t = x] into {@code out}, each coordinate at its own time t[j]. */
    private void velocityOf(float[] x, double[] t, int only, float[] out) {
        int k = spec.components();
        int d = x.length;
        double[] logPost = new double[k];
        double max = Double.NEGATIVE_INFINITY;
        for (int c = 0; c < k; c++) {
            if (only != ComponentCondition.WHOLE_MIXTURE && c != only) {
                logPost[c] = Double.NEGATIVE_INFINITY;
                continue;
            }
            double s2 = spec.stds()[c] * spec.stds()[c];
            double lp = logWeights[c];
            for (int j = 0; j < d; j++) {
                double a = 1.0 - t[j];
                double var = a * a * s2 + t[j] * t[j];
                double r = x[j] - a * spec.means()[c][j];
                lp -= 0.5 * (r * r / var + Math.log(var));
            }
            logPost[c] = lp;
            max = Math.max(max, lp);
        }
        double norm = 0;
        for (int c = 0; c < k; c++) {
            // Posterior weights below e^-60 of the largest cannot move a float result; dropping them also keeps
            // exp() out of subnormal numbers, whose slow arithmetic would make the cost depend on t.
            double rel = logPost[c] - max;
            logPost[c] = rel < NEGLIGIBLE_LOG_WEIGHT ? 0.0 : Math.exp(rel);
            norm += logPost[c];
        }
        for (int j = 0; j < d; j++) {
            double a = 1.0 - t[j];
            double acc = 0;
            for (int c = 0; c < k; c++) {
                if (logPost[c] == 0.0) {
                    continue;
                }
                double s2 = spec.stds()[c] * spec.stds()[c];
                double mu = spec.means()[c][j];
                double var = a * a * s2 + t[j] * t[j];
                acc += logPost[c] * ((t[j] - a * s2) / var * (x[j] - a * mu) - mu);
            }
            out[j] = (float) (acc / norm);
        }
    }
}
