package dev.asyncdiff.bench;

import ai.djl.pytorch.jni.JniUtils;
import dev.asyncdiff.io.AtomicFiles;
import dev.asyncdiff.io.Safetensors;
import dev.asyncdiff.model.Conditioning;
import dev.asyncdiff.model.tiny.TinyFlowModel;
import dev.asyncdiff.policy.Policies;
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

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;

/**
 * Sampling time of the tiny model's denoiser in Java (DJL) and in the PyTorch reference, side by side: synchronous
 * Euler on the uniform grid with CFG (conditional and unconditional rows in one batched call), no decoding, the
 * same prompts and initial noise on both sides, Java and Python runs alternating so that load drift hits both
 * alike. The reference runs with as many torch threads as the Java side.
 */
public final class TinyThroughput {
    /** The paper's guidance scale. */
    public static final double CFG = 5.0;

    /**
     * @param sampled how far the reference's sampled latents are from Java's (same noise and prompts)
     */
    public record Result(int batch, int steps, int reps, int threads, String torchVersion, double javaSeconds,
                         double pythonSeconds, Discrepancy sampled) {
        public double ratio() {
            return javaSeconds / pythonSeconds;
        }
    }

    private TinyThroughput() {
    }

    /**
     * Writes the inputs and the reference's sampled latents into {@code dir}; medians of {@code reps} runs. The
     * reference reads the model's own weights from {@code dir/tiny.safetensors} (written here unless
     * {@link TinyParity#run} already wrote them), so both sides sample the same network.
     */
    public static Result run(TinyFlowModel model, PythonReference reference, int batch, int steps, int reps,
                             long seed, Path dir) throws IOException {
        List<String> prompts = ValPrompts.draw(batch, new SplittableRandom(seed));
        float[][] x = new float[batch][];
        SampleStream[] random = new SampleStream[batch];
        int[] samples = new int[batch];
        for (int i = 0; i < batch; i++) {
            random[i] = new SampleStream(seed, i);
            x[i] = random[i].gaussianVector(model.latentSize());
            samples[i] = i;
        }
        Map<String, Safetensors.Tensor> inputs = new LinkedHashMap<>();
        inputs.put("x", Safetensors.stack(x, model.latentShape()));
        inputs.put("ids", Safetensors.stack(TinyParity.ids(model.tokenizer(), prompts, batch),
                new int[] {model.tokenizer().maxTokens()}));
        AtomicFiles.write(dir.resolve("sampling.safetensors"), Safetensors.encode(inputs));
        if (!Files.isRegularFile(dir.resolve(TinyFlowModel.WEIGHTS_FILE))) {
            model.save(dir);
        }

        SamplerSettings settings = new SamplerSettings(new UniformGrid().times(steps), new ClassifierFreeGuidance(CFG),
                Policies.sync(), SamplingMode.ASYNC,
                new AsyncRule(DeviationBound.HALF, 1.0, AsyncRule.DEFAULT_SIGMA_MIN), Solver.EULER, LatentClock.GRID,
                false);
        Sampler sampler = new Sampler(model, settings);
        Conditioning cond = model.encode(prompts);
        float[] javaSampled = TinyParity.flat(
                sampler.run(x, cond, prompts, random, samples, StepCallback.NONE).x());
        int threads = JniUtils.getNumThreads();
        double[] java = new double[reps];
        double[] python = new double[reps];
        try (PythonReference.Server server = reference.serve(dir, dir.resolve(TinyFlowModel.WEIGHTS_FILE), steps, CFG,
                threads)) {
            float[] pythonSampled = PythonReference.data(
                    PythonReference.read(dir.resolve("sampled_reference.safetensors")), "x");
            for (int r = 0; r < reps; r++) {
                long start = System.nanoTime();
                sampler.run(x, cond, prompts, random, samples, StepCallback.NONE);
                java[r] = (System.nanoTime() - start) / 1e9;
                python[r] = server.run();
            }
            return new Result(batch, steps, reps, threads, server.torchVersion(), Median.of(java), Median.of(python),
                    Discrepancy.between(javaSampled, pythonSampled));
        }
    }
}
