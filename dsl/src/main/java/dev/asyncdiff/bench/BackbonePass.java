package dev.asyncdiff.bench;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.pytorch.jni.JniUtils;
import dev.asyncdiff.io.AtomicFiles;
import dev.asyncdiff.io.Safetensors;
import dev.asyncdiff.model.checkpoint.BackboneLayout;
import dev.asyncdiff.model.checkpoint.CheckpointWeights;
import dev.asyncdiff.model.flux.FluxConfig;
import dev.asyncdiff.model.flux.FluxTransformer;
import dev.asyncdiff.model.sd3.Sd3Config;
import dev.asyncdiff.model.sd3.Sd3Transformer;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Map;

/**
 * The Java side of the backbone benchmark, meant to run alone in its own process so that its peak memory is the
 * pass's: random weights of the setup's shapes, one warm-up pass, the timed passes (inputs drawn before each, not
 * timed), then the matrix-product rate and the peak resident memory.
 */
public final class BackbonePass {
    private BackbonePass() {
    }

    /** Either transformer's velocity; {@code guidance} is null for SD3. */
    private interface Velocity {
        NDArray of(NDArray x, NDArray t, NDArray guidance, NDArray context, NDArray pooled);
    }

    /** A transformer on its random weights, which {@link #close} frees. */
    private record Denoiser(Velocity velocity, Runnable closer) implements AutoCloseable {
        @Override
        public void close() {
            closer.run();
        }
    }

    /**
     * Runs the setup's passes, reporting each step on {@code progress}; the last pass's velocity goes to
     * {@code velocity} (safetensors, "v").
     */
    public static PassResult run(BackboneSetup setup, Path velocity, PrintStream progress) throws IOException {
        String torch = Engine.getInstance().getVersion(); // loads the natives before JniUtils is called
        JniUtils.setNumThreads(setup.threads());
        JniUtils.setGradMode(false);
        progress.printf("java: drawing %,d random weights (%.2f GiB in FP32)%n",
                setup.weightBytes() / BackboneSetup.BYTES_PER_VALUE, setup.weightBytes() / (double) (1L << 30));
        long start = System.nanoTime();
        try (Denoiser model = denoiser(setup)) {
            double weightsSeconds = (System.nanoTime() - start) / 1e9;
            progress.printf("java: weights drawn in %.1f s%n", weightsSeconds);
            double[] seconds = new double[setup.repeats()];
            double rms = Double.NaN;
            Safetensors.Tensor last = null;
            for (int i = -1; i < setup.repeats(); i++) {
                try (NDManager m = NDManager.newBaseManager()) {
                    NDArray x = m.randomNormal(new Shape(setup.latentShape()));
                    NDArray t = m.full(new Shape(setup.batch()), (float) setup.time());
                    NDArray guidance = Double.isNaN(setup.guidance()) ? null
                            : m.full(new Shape(setup.batch()), (float) setup.guidance());
                    NDArray context = m.randomNormal(new Shape(setup.batch(), setup.textTokens(), setup.textWidth()));
                    NDArray pooled = m.randomNormal(new Shape(setup.batch(), setup.pooledWidth()));
                    long t0 = System.nanoTime();
                    NDArray v = model.velocity().of(x, t, guidance, context, pooled);
                    double s = (System.nanoTime() - t0) / 1e9;
                    rms = Math.sqrt(v.square().mean().getFloat());
                    last = new Safetensors.Tensor(Arrays.stream(setup.latentShape()).mapToInt(Math::toIntExact)
                            .toArray(), v.toFloatArray());
                    if (i >= 0) {
                        seconds[i] = s;
                    }
                    progress.printf("java: %s %.2f s%n", i < 0 ? "warm-up pass" : "pass " + (i + 1) + "/"
                            + setup.repeats(), s);
                }
            }
            AtomicFiles.write(velocity, Safetensors.encode(Map.of("v", last)));
            double matmul = MatmulRate.gflops(setup.matmul());
            return new PassResult("Java, DJL, torch " + torch, JniUtils.getNumThreads(),
                    weightsSeconds, seconds, matmul, ProcMemory.peakResidentBytes(), rms);
        }
    }

    private static Denoiser denoiser(BackboneSetup setup) {
        NDManager manager = NDManager.newBaseManager();
        try {
            CheckpointWeights w = SyntheticWeights.draw(manager, setup.manifest(), setup.seed());
            if (setup.backbone() == BackboneLayout.SD35) {
                Sd3Transformer t = Sd3Transformer.of(manager, Sd3Config.of(setup.config()), w);
                return new Denoiser((x, time, guidance, context, pooled) -> t.velocity(x, time, context, pooled),
                        t::close);
            }
            FluxTransformer f = FluxTransformer.of(manager, FluxConfig.of(setup.config()), w);
            return new Denoiser(f::velocity, f::close);
        } catch (RuntimeException e) {
            manager.close();
            throw e;
        }
    }
}
