package dev.asyncdiff.rl;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.NDScope;
import ai.djl.pytorch.jni.JniUtils;
import ai.djl.training.GradientCollector;
import com.google.gson.JsonObject;
import dev.asyncdiff.Generation;
import dev.asyncdiff.Pipeline;
import dev.asyncdiff.model.Conditioning;
import dev.asyncdiff.nn.Adam;
import dev.asyncdiff.nn.NativeData;
import dev.asyncdiff.nn.Ops;
import dev.asyncdiff.policy.PolicyInput;
import dev.asyncdiff.sample.SampleStream;
import dev.asyncdiff.sample.Trajectory;
import dev.asyncdiff.sample.TrajectoryStep;
import dev.asyncdiff.tpm.BetaLogProb;
import dev.asyncdiff.tpm.Tpm;
import dev.asyncdiff.tpm.TpmPolicy;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * GRPO for the TPM (paper §3.3) with the diffusion model frozen. Per iteration: one prompt and G initial noises; the
 * asynchronous sampler rolls out with r drawn from the TPM at every step k ≥ 1; the group is scored; advantages are
 * the rewards standardised within the group; the trajectory's log-probability is the sum of log Beta(r_k) over its
 * steps (Eq. 15), as recorded by the rollout; PPO-clip (Eq. 14) over mini-batches, Adam with a constant learning
 * rate and the gradient norm clipped. The policy's inputs at every step are replayed from the recorded states, so the
 * update recomputes log π_θ exactly where the rollout drew r.
 */
public final class Grpo {
    /**
     * @param group         G, trajectories per prompt (the paper: 16)
     * @param minibatch     trajectories per update (the paper: 4); must divide G
     * @param learningRate  Adam's constant rate (the paper: 2e-5 for Flux, 1e-5 for SD3.5)
     * @param clip          PPO's ε (the paper: 0.2)
     * @param advantageClip advantages are clipped to ±this (infinity: off)
     * @param gradientClip  the global gradient norm is clipped to this (the paper: 1.0)
     * @param kl            β of the KL penalty towards the initial policy ({@link KlPenalty}); 0: off
     */
    public record Options(int group, int minibatch, float learningRate, double clip, double advantageClip,
                          double gradientClip, double kl) {
        public Options {
            if (group < 2) {
                throw new IllegalArgumentException("--group must be at least 2 (got " + group + ")");
            }
            if (minibatch < 1 || group % minibatch != 0) {
                throw new IllegalArgumentException("--minibatch must divide --group (got " + minibatch + " for a group "
                        + "of " + group + ")");
            }
            if (!(learningRate > 0) || Float.isInfinite(learningRate)) {
                throw new IllegalArgumentException("--lr must be a finite number > 0 (got " + learningRate + ")");
            }
            if (!(clip > 0 && clip < 1)) {
                throw new IllegalArgumentException("--clip must lie in (0, 1) (got " + clip + ")");
            }
            if (!(advantageClip > 0)) {
                throw new IllegalArgumentException("--adv-clip must be > 0 (got " + advantageClip + ")");
            }
            if (!(gradientClip > 0)) {
                throw new IllegalArgumentException("the gradient-norm clip must be > 0 (got " + gradientClip + ")");
            }
            if (!(kl >= 0) || Double.isInfinite(kl)) {
                throw new IllegalArgumentException("--kl must be a finite number >= 0 (got " + kl + ")");
            }
        }

        /** The paper's settings with a given learning rate: no advantage clipping, no KL penalty. */
        public static Options paper(float learningRate) {
            return new Options(16, 4, learningRate, PpoClip.EPSILON, Double.POSITIVE_INFINITY, 1.0, 0);
        }

        /** The same options with β of the KL penalty; 0 turns it off. */
        public Options withKl(double beta) {
            return new Options(group, minibatch, learningRate, clip, advantageClip, gradientClip, beta);
        }

        /** The same options with advantages clipped to ±{@code c}. */
        public Options withAdvantageClip(double c) {
            return new Options(group, minibatch, learningRate, clip, c, gradientClip, kl);
        }

        /** The options by name, for a TPM's training record ({@code "off"} for no advantage clipping). */
        public JsonObject toJson() {
            JsonObject o = new JsonObject();
            o.addProperty("group", group);
            o.addProperty("minibatch", minibatch);
            o.addProperty("lr", Double.parseDouble(Float.toString(learningRate))); // 1.0E-4, not 9.99999974E-5
            o.addProperty("clip", clip);
            if (Double.isInfinite(advantageClip)) {
                o.addProperty("advClip", "off");
            } else {
                o.addProperty("advClip", advantageClip);
            }
            o.addProperty("gradientClip", gradientClip);
            o.addProperty("kl", kl);
            return o;
        }
    }

    /** Scores a rolled-out group: one reward per sample, higher is better (e.g. Eq. 16 on the decoded images). */
    public interface GroupScorer {
        double[] score(Generation group);
    }

    /**
     * What one iteration did, for the training log.
     *
     * @param klInit the trajectories' mean KL to the initial policy (k3 estimate, before each mini-batch's update);
     *               NaN without a KL penalty
     */
    public record Iteration(int iteration, String prompt, double rewardMean, double rewardStd, boolean zeroSpread,
                            double ratioDevFirst, double clipFraction, double approxKl, double klInit, double gradNorm,
                            double meanDeviation, double secondsRollout, double secondsReward,
                            double secondsUpdate) {
    }

    /** Recomputations of a mini-batch whose gradient was not finite, before its update is left out. */
    private static final int RETRIES = 3;

    private final Pipeline base;
    private final TpmPolicy policy;
    private final TpmPolicy reference;
    private final Options options;
    private final Adam adam;
    private final long seed;

    /**
     * @param base   the backbone's pipeline with the grid, guidance, bound, γ and mode to train for
     * @param policy the TPM to train, in {@link TpmPolicy.Choice#SAMPLE} mode; with a KL penalty, a frozen copy of
     *               its weights as they are now is the initial policy
     */
    public Grpo(Pipeline base, TpmPolicy policy, Options options, long seed) {
        this(base, policy, options.kl() > 0 ? policy.tpm().copy(policy.tpm().params().get("readout")
                .getManager()) : null, options, seed);
    }

    /**
     * @param initial the initial policy's weights, which the KL penalty pulls towards (a resumed run passes the TPM
     *                it started from); unused, and may be null, without a KL penalty
     */
    public Grpo(Pipeline base, TpmPolicy policy, Tpm initial, Options options, long seed) {
        if (options.kl() > 0 && initial == null) {
            throw new IllegalArgumentException("a KL penalty needs the initial policy's weights");
        }
        this.base = base.async(policy).recordStates(true);
        this.policy = policy;
        this.reference = options.kl() > 0 ? policy.withTpm(initial) : null;
        this.options = options;
        this.seed = seed;
        Tpm tpm = policy.tpm();
        tpm.params().requireGradients();
        this.adam = new Adam(tpm.params().get("readout").getManager(), tpm.params(), 0f);
    }

    public Adam optimizer() {
        return adam;
    }

    /** One GRPO iteration on {@code prompt}; its noises and draws depend only on the seed and the iteration. */
    public Iteration iteration(int iteration, String prompt, GroupScorer scorer) {
        long t0 = System.nanoTime();
        Generation g = base.seed(seed * 1_000_003L + iteration).generate(List.of(prompt), options.group());
        long t1 = System.nanoTime();
        double[] rewards = scorer.score(g);
        if (rewards.length != g.size()) {
            throw new IllegalStateException("the scorer returned " + rewards.length + " rewards for " + g.size()
                    + " samples");
        }
        GroupAdvantages adv = GroupAdvantages.of(rewards, options.advantageClip());
        long t2 = System.nanoTime();
        NDManager manager = policy.tpm().params().get("readout").getManager();
        int batches = g.size() / options.minibatch();
        // π_old is the policy that drew r: the log-probabilities the rollout recorded (Eq. 15, in double precision).
        // The update recomputes them from the replayed inputs in the TPM's float arithmetic, so on the first
        // mini-batch, before any update, the ratio is 1 up to float rounding: the on-policy check.
        double[] old = new double[g.size()];
        for (int j = 0; j < g.size(); j++) {
            for (TrajectoryStep step : g.trajectories().get(j).steps()) {
                if (step.k() > 0) {
                    old[j] += step.logProb();
                }
            }
        }
        double ratioDevFirst = 0;
        double clipped = 0;
        double kl = 0;
        double klInit = options.kl() > 0 ? 0 : Double.NaN;
        double norm = 0;
        for (int b = 0; b < batches; b++) {
            int[] rows = range(b * options.minibatch(), (b + 1) * options.minibatch());
            double[] a = new double[rows.length];
            double[] o = new double[rows.length];
            for (int i = 0; i < rows.length; i++) {
                a[i] = adv.advantages()[rows[i]];
                o[i] = old[rows[i]];
            }
            PpoClip.Result diag = null;
            double batchKl = 0;
            // A non-finite gradient skips the update and leaves weights and moments as they were (Adam), so the
            // mini-batch is simply computed again: PyTorch's CPU kernels have been seen to return one now and then
            // (see train-base), and a retried batch keeps the run on the sequence a run without the fault follows.
            for (int attempt = 0; attempt <= RETRIES; attempt++) {
                try (NDScope ignored = new NDScope()) {
                    try (GradientCollector gc = Engine.getInstance().newGradientCollector()) {
                        Replay replay = replay(manager, g, rows);
                        NDArray logNew = replay.logProb();
                        NDArray ratio = logNew.sub(NativeData.of(manager, toFloat(o))).exp();
                        NDArray advantage = NativeData.of(manager, toFloat(a));
                        NDArray surrogate = ratio.mul(advantage).minimum(
                                ratio.clip(1 - options.clip(), 1 + options.clip()).mul(advantage));
                        NDArray loss = surrogate.mean().neg(); // Eq. 14
                        if (replay.klInit() != null) {
                            NDArray meanKl = replay.klInit().mean();
                            batchKl = meanKl.getFloat();
                            loss = loss.add(Ops.scaled(meanKl, (float) options.kl()));
                        }
                        diag = PpoClip.of(doubles(logNew), o, a, options.clip());
                        gc.backward(loss);
                    }
                    norm = adam.update(options.learningRate(), options.gradientClip());
                }
                if (Double.isFinite(norm)) {
                    break;
                }
            }
            if (b == 0) {
                ratioDevFirst = diag.maxRatioDeviation();
            }
            clipped += diag.clipFraction() / batches;
            kl += diag.approxKl() / batches;
            klInit += batchKl / batches;
        }
        long t3 = System.nanoTime();
        double mean = Arrays.stream(rewards).average().orElseThrow();
        double std = Math.sqrt(Arrays.stream(rewards).map(r -> (r - mean) * (r - mean)).average().orElseThrow());
        return new Iteration(iteration, prompt, mean, std, adv.zeroSpread(), ratioDevFirst, clipped, kl, klInit, norm,
                g.meanDeviation(), (t1 - t0) / 1e9, (t2 - t1) / 1e9, (t3 - t2) / 1e9);
    }

    /**
     * A mini-batch's trajectories replayed under the current policy.
     *
     * @param logProb log π_θ(τ) per trajectory, differentiable
     * @param klInit  Σ_k KL_k(π_θ ‖ π_ref) per trajectory, differentiable; null without a KL penalty
     */
    private record Replay(NDArray logProb, NDArray klInit) {
    }

    /**
     * log π_θ(τ) = Σ_k log Beta(r_k) (Eq. 15) of the given trajectories, differentiable, replaying each step's policy
     * inputs from the recorded states: x_k, and v*, x0 and t* of step k − 1; with a KL penalty also each step's KL to
     * the initial policy at the same inputs and r_k.
     */
    private Replay replay(NDManager manager, Generation g, int[] rows) {
        List<String> prompts = new ArrayList<>();
        for (int j : rows) {
            prompts.add(g.prompts().get(j));
        }
        boolean before = JniUtils.isGradMode();
        // encoded before grad mode is set for the TPM: the backbone's encoder switches it off for its own inference
        Conditioning cond = base.model().encode(prompts);
        JniUtils.setGradMode(true);
        try {
            int steps = g.trajectories().get(rows[0]).steps().size();
            List<PolicyInput> inputs = new ArrayList<>();
            float[] r = new float[(steps - 1) * rows.length];
            for (int k = 1; k < steps; k++) {
                float[][] x = new float[rows.length][];
                float[][] v = new float[rows.length][];
                float[][] x0 = new float[rows.length][];
                double[] tPrev = new double[rows.length];
                for (int i = 0; i < rows.length; i++) {
                    Trajectory t = g.trajectories().get(rows[i]);
                    x[i] = t.states().get(k).x();
                    v[i] = t.states().get(k - 1).v();
                    x0[i] = t.states().get(k - 1).x0();
                    tPrev[i] = t.steps().get(k - 1).tCond();
                    r[(k - 1) * rows.length + i] = t.steps().get(k).r().floatValue();
                }
                inputs.add(new PolicyInput(k, g.grid(), x, v, tPrev, x0, cond, new SampleStream[rows.length], rows,
                        prompts));
            }
            // every step of the mini-batch in one TPM pass: rows are (step, trajectory), summed over steps (Eq. 15)
            ai.djl.ndarray.types.Shape byStep = new ai.djl.ndarray.types.Shape(steps - 1, rows.length);
            NDArray drawn = NativeData.of(manager, r);
            NDArray logProb = BetaLogProb.of(policy.forward(manager, inputs), drawn).reshape(byStep);
            NDArray total = logProb.sum(new int[] {0});
            NDArray klTotal = reference == null ? null : KlPenalty.k3(logProb,
                    BetaLogProb.of(reference.forward(manager, inputs), drawn).reshape(byStep)).sum(new int[] {0});
            return new Replay(total, klTotal);
        } finally {
            JniUtils.setGradMode(before);
        }
    }

    private static int[] range(int from, int to) {
        int[] out = new int[to - from];
        for (int i = 0; i < out.length; i++) {
            out[i] = from + i;
        }
        return out;
    }

    private static double[] doubles(NDArray a) {
        float[] f = a.toFloatArray();
        double[] out = new double[f.length];
        for (int i = 0; i < f.length; i++) {
            out[i] = f[i];
        }
        return out;
    }

    private static float[] toFloat(double[] v) {
        float[] out = new float[v.length];
        for (int i = 0; i < v.length; i++) {
            out[i] = (float) v[i];
        }
        return out;
    }
}
