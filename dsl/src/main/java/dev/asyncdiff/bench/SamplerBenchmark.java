package dev.asyncdiff.bench;

import dev.asyncdiff.model.Conditioning;
import dev.asyncdiff.model.FlowModel;
import dev.asyncdiff.model.gmm.GmmFlowModel;
import dev.asyncdiff.model.gmm.GmmSpec;
import dev.asyncdiff.policy.Policies;
import dev.asyncdiff.policy.TimestepPolicy;
import dev.asyncdiff.sample.AsyncRule;
import dev.asyncdiff.sample.ClassifierFreeGuidance;
import dev.asyncdiff.sample.DeviationBound;
import dev.asyncdiff.sample.LatentClock;
import dev.asyncdiff.sample.SampleStream;
import dev.asyncdiff.sample.Sampler;
import dev.asyncdiff.sample.SamplerSettings;
import dev.asyncdiff.sample.SamplingMode;
import dev.asyncdiff.sample.Solver;
import dev.asyncdiff.sample.StepCallback;
import dev.asyncdiff.schedule.UniformGrid;

import java.util.Arrays;
import java.util.Collections;
import java.util.List;

/**
 * Times the Euler loop side by side: synchronous and asynchronous runs alternate within one process, so the ratio
 * is not skewed by drift in machine load. Loop overhead is measured on {@link NullFlowModel}; the async/sync ratio
 * on the exact GMM, whose velocity is real work.
 */
public final class SamplerBenchmark {

    /** @param overheadSyncMicros median µs per step of the loop alone, synchronous */
    public record Result(int batch, int steps, int dim, double overheadSyncMicros, double overheadAsyncMicros,
                         double gmmSyncMillis, double gmmAsyncMillis) {
        public double ratio() {
            return gmmAsyncMillis / gmmSyncMillis;
        }
    }

    private SamplerBenchmark() {
    }

    public static Result run(int batch, int steps, int dim, int repetitions) {
        FlowModel nullModel = new NullFlowModel(dim, 2 * batch);
        FlowModel gmm = new GmmFlowModel(gmmSpec(dim));
        double[] grid = new UniformGrid().times(steps);
        List<String> prompts = Collections.nCopies(batch, "0");
        double[] overheadSync = new double[repetitions];
        double[] overheadAsync = new double[repetitions];
        double[] gmmSync = new double[repetitions];
        double[] gmmAsync = new double[repetitions];
        for (int warm = 0; warm < Math.max(20, repetitions); warm++) {
            time(nullModel, grid, Policies.sync(), prompts, dim);
            time(nullModel, grid, Policies.fixed(0.3), prompts, dim);
        }
        // The loop's own cost first, sync and async alternating (which goes first alternating too), then the GMM's:
        // a run right after a GMM run pays for the garbage the GMM's Java arithmetic left.
        for (int r = 0; r < repetitions; r++) {
            boolean syncFirst = r % 2 == 0;
            double a = time(nullModel, grid, syncFirst ? Policies.sync() : Policies.fixed(0.3), prompts, dim);
            double b = time(nullModel, grid, syncFirst ? Policies.fixed(0.3) : Policies.sync(), prompts, dim);
            overheadSync[r] = (syncFirst ? a : b) / 1e3 / steps;
            overheadAsync[r] = (syncFirst ? b : a) / 1e3 / steps;
        }
        for (int r = 0; r < repetitions; r++) {
            gmmSync[r] = time(gmm, grid, Policies.sync(), prompts, dim) / 1e6;
            gmmAsync[r] = time(gmm, grid, Policies.fixed(0.3), prompts, dim) / 1e6;
        }
        return new Result(batch, steps, dim, Median.of(overheadSync), Median.of(overheadAsync), Median.of(gmmSync),
                Median.of(gmmAsync));
    }

    /** Nanoseconds for one batch through the loop at the paper's CFG scale. */
    private static long time(FlowModel model, double[] grid, TimestepPolicy policy, List<String> prompts, int dim) {
        int n = prompts.size();
        SamplerSettings settings = new SamplerSettings(grid, new ClassifierFreeGuidance(5.0), policy,
                SamplingMode.ASYNC, new AsyncRule(DeviationBound.HALF, 1.0, AsyncRule.DEFAULT_SIGMA_MIN), Solver.EULER,
                LatentClock.GRID, false);
        SampleStream[] random = new SampleStream[n];
        float[][] x = new float[n][];
        int[] samples = new int[n];
        for (int i = 0; i < n; i++) {
            random[i] = new SampleStream(7, i);
            x[i] = random[i].gaussianVector(dim);
            samples[i] = i;
        }
        Conditioning cond = model.encode(prompts);
        long start = System.nanoTime();
        new Sampler(model, settings).run(x, cond, prompts, random, samples, StepCallback.NONE);
        return System.nanoTime() - start;
    }

    /** Four unit-std components on the axes of R^dim. */
    private static GmmSpec gmmSpec(int dim) {
        int k = 4;
        double[][] means = new double[k][dim];
        for (int c = 0; c < k; c++) {
            means[c][c % dim] = 3.0;
        }
        double[] w = new double[k];
        double[] s = new double[k];
        Arrays.fill(w, 1.0);
        Arrays.fill(s, 1.0);
        return new GmmSpec(w, means, s);
    }
}
