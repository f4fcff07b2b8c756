package dev.asyncdiff.sample;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.NDScope;
import dev.asyncdiff.model.AttentionMaps;
import dev.asyncdiff.model.Conditioning;
import dev.asyncdiff.model.FlowModel;
import dev.asyncdiff.model.Latents;
import dev.asyncdiff.model.Timesteps;
import dev.asyncdiff.nn.NoGrad;
import dev.asyncdiff.policy.Decision;
import dev.asyncdiff.policy.PolicyInput;

import java.util.ArrayList;
import java.util.List;

/**
 * The sampling loop of Algorithms 1 and 2. The latent moves along its clock (the grid, or a time per position), and
 * each step's first model evaluation is conditioned at
 * <ul>
 *   <li>async mode: t*_0 = t_0 and t*_k = t_{k−1} + η_k·(t_k − t_{k−1}) for k ≥ 1 (Eq. 6, 12, 13), entry by entry;</li>
 *   <li>velocity-scale mode: t*_k = t_k, the Euler update scaled by ω_k = 1 + (r_k − 0.5)·scale·γ (Eq. 19–20).</li>
 * </ul>
 * The {@link Solver} turns that evaluation (and any it asks for) into x_{k+1}; with {@link Solver#EULER} this is
 * x_{k+1} = x_k + (t_{k+1} − t_k)·ω_k·f(x_k, t*_k, c) (Eq. 4, 8–9). The synchronous policy makes both modes reduce
 * to Algorithm 1 bit for bit. Sampling ends at the grid's end or once every position's time falls below σ_min; if
 * it ends above t = 0, one last prediction x0 = x − t·v is returned.
 */
public final class Sampler {
    private final FlowModel model;
    private final SamplerSettings settings;
    private final int[] positionOf;

    public Sampler(FlowModel model, SamplerSettings settings) {
        this.model = model;
        this.settings = settings;
        this.positionOf = new int[model.latentSize()];
        for (int j = 0; j < positionOf.length; j++) {
            positionOf[j] = model.positionOf(j);
        }
    }

    /**
     * Samples one batch. The latents, the velocities, the clean predictions and the conditioning (encoded once, the
     * rows of a classifier-free pass joined once) stay native in one memory scope for the whole batch, with autograd
     * off; each step's temporaries are freed when the step ends. They are copied to Java rows only for a callback or
     * a policy that reads them, for {@code recordStates}, and for the result.
     *
     * @param prompts the prompt of each row (recorded in the trajectories)
     * @param random  each row's own stream, already past its initial-noise draws
     * @param samples global index of each row
     */
    public SampledBatch run(float[][] xInit, Conditioning cond, List<String> prompts, SampleStream[] random,
                            int[] samples, StepCallback callback) {
        try (NoGrad ignored = NoGrad.enter(); NDManager scope = model.newScope()) {
            return run(scope, xInit, cond, prompts, random, samples, callback);
        }
    }

    private SampledBatch run(NDManager scope, float[][] xInit, Conditioning cond, List<String> prompts,
                             SampleStream[] random, int[] samples, StepCallback callback) {
        int n = xInit.length;
        int positions = model.positions();
        double[] grid = settings.grid();
        int steps = grid.length - 1;
        Guidance guidance = settings.guidance();
        Conditioning call = model.resident(guidance.callConditioning(model, cond), scope);
        List<List<Double>> evaluations = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            evaluations.add(new ArrayList<>(2));
        }
        // Every evaluation a trajectory records: the guided velocity of a model (the backbone, or a capture of it)
        java.util.function.Function<FlowModel, VelocityField> recorded = m -> (xs, tc) -> {
            for (int i = 0; i < n; i++) {
                evaluations.get(i).add(tc.representative(i));
            }
            return guidance.velocity(m, xs, tc.simplest(), call);
        };
        VelocityField field = recorded.apply(model);

        List<List<TrajectoryStep>> records = new ArrayList<>();
        List<List<StepState>> states = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            records.add(new ArrayList<>(steps));
            states.add(new ArrayList<>(settings.recordStates() ? steps : 0));
        }

        LatentClock.GuidedPass guided = (xs, tc) -> {
            if (!(model instanceof AttentionMaps)) {
                return new AttentionMaps.NativePass(guidance.velocity(model, xs, tc.simplest(), call), null);
            }
            AttentionCapture c = new AttentionCapture(model, n);
            return new AttentionMaps.NativePass(guidance.velocity(c, xs, tc.simplest(), call), c.captured());
        };
        LatentClock.Run clock = settings.clock().start(new LatentClock.Batch(model, grid, n, positions, cond,
                prompts, guided));
        // A clock that reads attention gets it from each step's first evaluation, the same forward pass.
        AttentionCapture capture = clock.observesAttention() ? new AttentionCapture(model, n) : null;
        VelocityField first = capture == null ? field : recorded.apply(capture);
        PositionSpread spread = new PositionSpread(positionOf);

        Latents x = Latents.of(Latents.array(scope, xInit));
        Latents xPrev = null;
        Latents vPrev = null;
        Latents x0Prev = null;
        double[] tCondPrev = null;
        Timesteps tPrev = null;
        Timesteps t = clock.initial();
        boolean stopped = false;
        for (int k = 0; k < steps && t.max() >= settings.rule().sigmaMin(); k++) {
            Latents v;
            Latents x0;
            Latents xNext;
            double[] tCondRow = new double[n];
            double[] r;
            try (NDScope step = new NDScope()) {
                Timesteps tNext = clock.next(k, x, t);
                boolean asks = k > 0 || settings.mode() == SamplingMode.VELOCITY_SCALE;
                Decision decision = asks ? settings.policy().decision(
                        new PolicyInput(k, grid, x, vPrev, tCondPrev, x0Prev, cond, random, samples, prompts)) : null;
                r = asks ? checked(decision.r(), n, k) : null;
                double[] omega = new double[n];
                for (int i = 0; i < n; i++) {
                    omega[i] = settings.mode() == SamplingMode.VELOCITY_SCALE ? settings.rule().eta(r[i]) : 1.0; // Eq. 20
                }
                boolean synchronous = k == 0 || settings.mode() == SamplingMode.VELOCITY_SCALE; // t*_0 = t_0
                Timesteps tCond = synchronous ? t : conditioningTimes(tPrev, t, r, positions);

                evaluations.forEach(List::clear);
                NDArray xa = x.array();
                NDArray va = first.at(xa, tCond);
                if (capture != null) {
                    clock.observe(k, capture.captured());
                }
                Timesteps tk = t;
                x0 = Latents.lazy(() -> cleanPrediction(xa, va, tk, spread, positions));
                NDArray xNexta = settings.solver().step(new SolverStep(xa, va, x0, tPrev, t, tNext, x0Prev, omega,
                        positions, spread, field));
                NDScope.unregister(va, xNexta);
                v = Latents.of(va);
                xNext = Latents.of(xNexta);

                for (int i = 0; i < n; i++) {
                    tCondRow[i] = tCond.representative(i);
                    double eta = synchronous ? 1.0 : (tCondRow[i] - tPrev.representative(i))
                            / (t.representative(i) - tPrev.representative(i)); // η as realised after clamping
                    records.get(i).add(new TrajectoryStep(k, t.representative(i), tNext.representative(i), tCondRow[i],
                            r == null ? null : r[i], eta, eta - 1.0, decision == null || decision.distributions() == null
                            ? null : decision.distributions()[i], evaluations.get(i),
                            MaskedTimes.of(clock.related(i), t, i)));
                    if (settings.recordStates()) {
                        states.get(i).add(new StepState(x.rows()[i], v.rows()[i], x0.rows()[i]));
                    }
                }
                tPrev = t;
                t = tNext;
            }
            // x_k and v_k stay until the next step has read x0_k (computed from them on demand)
            for (Latents done : new Latents[] {xPrev, vPrev, x0Prev}) {
                if (done != null) {
                    done.close();
                }
            }
            xPrev = x;
            x = xNext;
            vPrev = v;
            x0Prev = x0;
            tCondPrev = tCondRow;
            if (!callback.onStep(new StepEvent(k, steps, grid[k], grid[k + 1], tCondRow, r, x, v, samples))) {
                stopped = true;
                break;
            }
        }

        if (!stopped && t.max() > 0.0) {
            try (NDScope last = new NDScope()) {
                NDArray xa = x.array();
                NDArray x0a = cleanPrediction(xa, guidance.velocity(model, xa, t.simplest(), call), t, spread,
                        positions);
                return result(Latents.rows(x0a), samples, prompts, records, states, false);
            }
        }
        return result(x.rows(), samples, prompts, records, states, stopped);
    }

    private static SampledBatch result(float[][] x, int[] samples, List<String> prompts,
                                       List<List<TrajectoryStep>> records, List<List<StepState>> states,
                                       boolean stopped) {
        List<Trajectory> trajectories = new ArrayList<>(samples.length);
        for (int i = 0; i < samples.length; i++) {
            trajectories.add(new Trajectory(samples[i], prompts.get(i), records.get(i), states.get(i)));
        }
        return new SampledBatch(x, trajectories, stopped);
    }

    /** Eq. 6 / 12 / 13 with the clamp, entry by entry: per sample when the latent's times are. */
    private Timesteps conditioningTimes(Timesteps tPrev, Timesteps t, double[] r, int positions) {
        AsyncRule rule = settings.rule();
        int n = r.length;
        if (tPrev instanceof Timesteps.PerSample && t instanceof Timesteps.PerSample) {
            double[] tc = new double[n];
            for (int i = 0; i < n; i++) {
                tc[i] = rule.tCond(tPrev.at(i, 0), t.at(i, 0), rule.eta(r[i]));
            }
            return new Timesteps.PerSample(tc);
        }
        double[][] tc = new double[n][positions];
        for (int i = 0; i < n; i++) {
            for (int p = 0; p < positions; p++) {
                tc[i][p] = rule.tCond(tPrev.at(i, p), t.at(i, p), rule.eta(r[i]));
            }
        }
        return new Timesteps.PerToken(tc);
    }

    /** x0 = x − t·v, each position at its own t: exact when v = ε − x0 and x = (1 − t)·x0 + t·ε. */
    private static NDArray cleanPrediction(NDArray x, NDArray v, Timesteps t, PositionSpread spread, int positions) {
        int n = t.size();
        float[][] minusT = new float[n][t instanceof Timesteps.PerSample ? 1 : positions];
        for (int i = 0; i < n; i++) {
            for (int p = 0; p < minusT[i].length; p++) {
                minusT[i][p] = (float) -t.at(i, p);
            }
        }
        return spread.times(v, minusT).addi(x);
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
