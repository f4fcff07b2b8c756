package dev.asyncdiff.bench;

import dev.asyncdiff.Pipeline;
import dev.asyncdiff.model.Conditioning;
import dev.asyncdiff.model.FlowModel;
import dev.asyncdiff.model.Timesteps;
import dev.asyncdiff.policy.PolicyInput;
import dev.asyncdiff.reward.CompositeReward;
import dev.asyncdiff.rl.Grpo;
import dev.asyncdiff.sample.SampleStream;
import dev.asyncdiff.tpm.TpmPolicy;

import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;

/**
 * What the TPM costs, side by side in one process: (1) one TPM decision for a batch against one guided denoiser
 * evaluation of the same batch (classifier-free guidance: conditional and unconditional rows in one call), on the
 * same inputs, the two alternating so that load drift hits both alike; (2) a GRPO iteration split into its phases.
 */
public final class TpmBenchmark {
    /** Medians of one step's TPM decision and guided denoiser evaluation for a batch, in milliseconds. */
    public record StepCost(int batch, int reps, double tpmMillis, double denoiserMillis) {
        public double fraction() {
            return tpmMillis / denoiserMillis;
        }
    }

    /** Median seconds per phase of a GRPO iteration. */
    public record Phases(int iterations, double rollout, double reward, double update) {
        public double updateShare() {
            return update / (rollout + reward + update);
        }
    }

    private TpmBenchmark() {
    }

    /**
     * @param base   the backbone's pipeline with its grid and guidance
     * @param policy the TPM, taking its mode
     */
    public static StepCost stepCost(Pipeline base, TpmPolicy policy, int batch, int reps, long seed) {
        FlowModel model = base.model();
        List<String> prompts = ValPrompts.draw(batch, new SplittableRandom(seed));
        float[][] x = new float[batch][];
        float[][] v = new float[batch][];
        float[][] x0 = new float[batch][];
        SampleStream[] random = new SampleStream[batch];
        int[] samples = new int[batch];
        for (int i = 0; i < batch; i++) {
            random[i] = new SampleStream(seed, i);
            x[i] = random[i].gaussianVector(model.latentSize());
            v[i] = random[i].gaussianVector(model.latentSize());
            x0[i] = random[i].gaussianVector(model.latentSize());
            samples[i] = i;
        }
        double[] grid = base.grid();
        int k = grid.length / 2;
        double[] tPrev = new double[batch];
        Arrays.fill(tPrev, grid[k - 1]);
        double[] t = new double[batch];
        Arrays.fill(t, grid[k]);
        Conditioning cond = model.encode(prompts);
        PolicyInput in = new PolicyInput(k, grid, x, v, tPrev, x0, cond, random, samples, prompts);
        Runnable tpm = () -> policy.decision(in);
        Runnable denoiser = () -> base.guidance().velocity(model, x, new Timesteps.PerSample(t), cond);
        for (int w = 0; w < 3; w++) {
            tpm.run();
            denoiser.run();
        }
        double[] tpmMs = new double[reps];
        double[] denoiserMs = new double[reps];
        for (int r = 0; r < reps; r++) {
            tpmMs[r] = millis(tpm);
            denoiserMs[r] = millis(denoiser);
        }
        return new StepCost(batch, reps, Median.of(tpmMs), Median.of(denoiserMs));
    }

    /** GRPO iterations on the prompts in turn after one untimed warm-up iteration; medians per phase. */
    public static Phases grpo(Grpo grpo, List<String> prompts, CompositeReward composite, int iterations) {
        double[] rollout = new double[iterations];
        double[] reward = new double[iterations];
        double[] update = new double[iterations];
        for (int i = 0; i <= iterations; i++) {
            Grpo.Iteration it = grpo.iteration(i, prompts.get(i % prompts.size()),
                    g -> composite.score(g.images(), g.prompts()));
            if (i > 0) {
                rollout[i - 1] = it.secondsRollout();
                reward[i - 1] = it.secondsReward();
                update[i - 1] = it.secondsUpdate();
            }
        }
        return new Phases(iterations, Median.of(rollout), Median.of(reward), Median.of(update));
    }

    private static double millis(Runnable r) {
        long start = System.nanoTime();
        r.run();
        return (System.nanoTime() - start) / 1e6;
    }
}
