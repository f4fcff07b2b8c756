package dev.asyncdiff.sample;

import dev.asyncdiff.model.Conditioning;
import dev.asyncdiff.model.FlowModel;
import dev.asyncdiff.model.Timesteps;
import dev.asyncdiff.policy.Decision;
import dev.asyncdiff.policy.PolicyInput;

import java.util.ArrayList;
import java.util.List;

/**
 * The Euler loop of Algorithms 1 and 2. The latent always moves along the grid,
 * x_{k+1} = x_k + (t_{k+1} − t_k)·ω_k·f(x_k, t*_k, c) (Eq. 4, 8–9, 19–20), where
 * <ul>
 *   <li>async mode: ω = 1, t*_0 = t_0 and t*_k = t_{k−1} + η_k·(t_k − t_{k−1}) for k ≥ 1 (Eq. 6, 12, 13);</li>
 *   <li>velocity-scale mode: t*_k = t_k and ω_k = 1 + (r_k − 0.5)·scale·γ at every step, the first included.</li>
 * </ul>
 * The synchronous policy (r = 0.5) makes both reduce to Algorithm 1 bit for bit. Sampling ends at the grid's end or
 * once the latent's time falls below σ_min; if it ends above t = 0, one last prediction x0 = x − t·v is returned.
 */
public final class EulerSampler {
    private final FlowModel model;
    private final SamplerSettings settings;

    public EulerSampler(FlowModel model, SamplerSettings settings) {
        this.model = model;
        this.settings = settings;
    }

    /**
     * Samples one batch.
     *
     * @param prompts the prompt of each row (recorded in the trajectories)
     * @param random  each row's own stream, already past its initial-noise draws
     * @param samples global index of each row
     */
    public SampledBatch run(float[][] xInit, Conditioning cond, List<String> prompts, SampleStream[] random,
                            int[] samples, StepCallback callback) {
        int n = xInit.length;
        double[] grid = settings.grid();
        int steps = grid.length - 1;
        AsyncRule rule = settings.rule();
        Guidance guidance = settings.guidance();
        Conditioning uncond = guidance.needsUnconditional() ? model.unconditional(n) : null;

        float[][] x = new float[n][];
        for (int i = 0; i < n; i++) {
            x[i] = xInit[i].clone();
        }
        List<List<TrajectoryStep>> records = new ArrayList<>();
        List<List<StepState>> states = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            records.add(new ArrayList<>(steps));
            states.add(new ArrayList<>(settings.recordStates() ? steps : 0));
        }

        float[][] vPrev = null;
        float[][] x0Prev = null;
        double[] tCondPrev = null;
        boolean stopped = false;
        int reached = 0;
        for (int k = 0; k < steps && grid[k] >= rule.sigmaMin(); k++) {
            double t = grid[k];
            double tNext = grid[k + 1];
            boolean asks = k > 0 || settings.mode() == SamplingMode.VELOCITY_SCALE;
            Decision decision = asks ? settings.policy().decision(
                    new PolicyInput(k, grid, x, vPrev, tCondPrev, x0Prev, cond, random, samples, prompts)) : null;
            double[] r = asks ? checked(decision.r(), n, k) : null;

            double[] tCond = new double[n];
            double[] eta = new double[n];
            double[] omega = new double[n];
            for (int i = 0; i < n; i++) {
                if (settings.mode() == SamplingMode.VELOCITY_SCALE) {
                    tCond[i] = t;
                    eta[i] = 1.0;
                    omega[i] = rule.eta(r[i]); // Eq. 20
                } else if (k == 0) {
                    tCond[i] = t; // t*_0 = t_0: the first step is synchronous
                    eta[i] = 1.0;
                    omega[i] = 1.0;
                } else {
                    double tPrev = grid[k - 1];
                    tCond[i] = rule.tCond(tPrev, t, rule.eta(r[i])); // Eq. 6 / 12 / 13, clamped
                    eta[i] = (tCond[i] - tPrev) / (t - tPrev);
                    omega[i] = 1.0;
                }
            }

            float[][] v = guidance.velocity(model, x, new Timesteps.PerSample(tCond), cond, uncond);
            float[][] x0 = new float[n][];
            float[][] xNext = new float[n][];
            float dt = (float) (tNext - t);
            for (int i = 0; i < n; i++) {
                x0[i] = cleanPrediction(x[i], v[i], t);
                xNext[i] = eulerStep(x[i], v[i], dt * (float) omega[i]); // Eq. 4 / 9 / 19
                records.get(i).add(new TrajectoryStep(k, t, tNext, tCond[i], r == null ? null : r[i], eta[i],
                        eta[i] - 1.0, decision == null || decision.distributions() == null ? null
                        : decision.distributions()[i]));
                if (settings.recordStates()) {
                    states.get(i).add(new StepState(x[i], v[i], x0[i]));
                }
            }
            x = xNext;
            reached = k + 1;
            vPrev = v;
            x0Prev = x0;
            tCondPrev = tCond;
            if (!callback.onStep(new StepEvent(k, steps, t, tNext, tCond, r, x, v, samples))) {
                stopped = true;
                break;
            }
        }

        double tEnd = grid[reached];
        if (!stopped && tEnd > 0.0) {
            double[] tc = new double[n];
            java.util.Arrays.fill(tc, tEnd);
            float[][] v = guidance.velocity(model, x, new Timesteps.PerSample(tc), cond, uncond);
            for (int i = 0; i < n; i++) {
                x[i] = cleanPrediction(x[i], v[i], tEnd);
            }
        }

        List<Trajectory> trajectories = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            trajectories.add(new Trajectory(samples[i], prompts.get(i), records.get(i), states.get(i)));
        }
        return new SampledBatch(x, trajectories, stopped);
    }

    /** x + h·v. */
    static float[] eulerStep(float[] x, float[] v, float h) {
        float[] out = new float[x.length];
        for (int j = 0; j < x.length; j++) {
            out[j] = x[j] + h * v[j];
        }
        return out;
    }

    /** x0 = x − t·v: exact when v = ε − x0 and x = (1 − t)·x0 + t·ε. */
    static float[] cleanPrediction(float[] x, float[] v, double t) {
        return eulerStep(x, v, (float) -t);
    }

    private double[] checked(double[] r, int n, int k) {
        if (r.length != n) {
            throw new IllegalStateException("policy " + settings.policy().spec() + " returned " + r.length
                    + " values for a batch of " + n + " at step " + k);
        }
        for (double ri : r) {
            if (!(ri >= 0.0 && ri <= 1.0)) {
                throw new IllegalStateException("policy " + settings.policy().spec() + " returned r = " + ri
                        + " at step " + k + "; r must lie in [0, 1]");
            }
        }
        return r;
    }
}
