package dev.asyncdiff;

import dev.asyncdiff.data.PromptSet;
import dev.asyncdiff.io.Warnings;
import dev.asyncdiff.model.Conditioning;
import dev.asyncdiff.model.FlowModel;
import dev.asyncdiff.model.LatentDecoder;
import dev.asyncdiff.model.Loading;
import dev.asyncdiff.model.UnavailableBackbone;
import dev.asyncdiff.model.flux.FluxFlowModel;
import dev.asyncdiff.model.gmm.GmmFlowModel;
import dev.asyncdiff.model.gmm.GmmSpec;
import dev.asyncdiff.model.sd3.Sd35FlowModel;
import dev.asyncdiff.model.tiny.ShippedTinyModel;
import dev.asyncdiff.model.tiny.TinyFlowModel;
import dev.asyncdiff.policy.Policies;
import dev.asyncdiff.policy.TimestepPolicy;
import dev.asyncdiff.sample.AsyncRule;
import dev.asyncdiff.sample.ClassifierFreeGuidance;
import dev.asyncdiff.sample.DeviationBound;
import dev.asyncdiff.sample.DistilledGuidance;
import dev.asyncdiff.sample.Guidance;
import dev.asyncdiff.asyndm.AsynDm;
import dev.asyncdiff.asyndm.ProgressSchedule;
import dev.asyncdiff.sample.LatentClock;
import dev.asyncdiff.sample.SampleStream;
import dev.asyncdiff.sample.Sampler;
import dev.asyncdiff.sample.SampledBatch;
import dev.asyncdiff.sample.SamplerSettings;
import dev.asyncdiff.sample.SamplingMode;
import dev.asyncdiff.sample.Solver;
import dev.asyncdiff.sample.StepCallback;
import dev.asyncdiff.sample.Trajectory;
import dev.asyncdiff.schedule.CustomGrid;
import dev.asyncdiff.schedule.FluxShiftGrid;
import dev.asyncdiff.schedule.StaticShiftGrid;
import dev.asyncdiff.schedule.TimeGrid;
import dev.asyncdiff.schedule.TimeGrids;
import dev.asyncdiff.schedule.UniformGrid;

import java.awt.image.BufferedImage;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * An immutable sampling set-up: every fluent call returns a new pipeline and leaves this one unchanged.
 * <pre>{@code
 * Pipeline.gmm(spec).steps(10).guidance(5).seed(42).async(Policies.fixed(0.3)).gamma(1.5).generate(prompts, 4)
 * }</pre>
 *
 * @param backbone     the backbone's name, for reports
 * @param recordStates keep x_k, v_k, x0_k in the trajectories (for RL)
 * @param solver       how evaluations become updates: Euler (the paper's), Heun or DPM-Solver++(2M)
 * @param clock        where each latent position's time is at each step: the grid, or AsynDM's per-position schedule
 */
public record Pipeline(FlowModel model, String backbone, TimeGrid schedule, int steps, Guidance guidance, long seed,
                       TimestepPolicy policy, SamplingMode mode, DeviationBound bound, double gamma,
                       double sigmaMin, int batchSize, boolean recordStates, StepCallback onStep,
                       Solver solver, LatentClock clock) {
    public static final long DEFAULT_SEED = 42;
    public static final double PAPER_GUIDANCE = 5.0;
    public static final int DEFAULT_BATCH = 16;
    /** The side of the square images the paper samples SD3.5 and Flux at. */
    public static final int DEFAULT_IMAGE_SIZE = Loading.DEFAULT_IMAGE_SIZE;
    /** Flux.1-dev's default distilled-guidance input. */
    public static final double FLUX_GUIDANCE = 3.5;

    public Pipeline {
        if (steps < 1) {
            throw new IllegalArgumentException("steps must be at least 1 (got " + steps + ")");
        }
        if (batchSize < 1) {
            throw new IllegalArgumentException("batch size must be at least 1 (got " + batchSize + ")");
        }
        new AsyncRule(bound, gamma, sigmaMin);
        Solver.checkMode(solver, mode);
    }

    /** A pipeline on any backbone, with synchronous sampling and the paper's CFG scale. */
    public static Pipeline of(FlowModel model, String name) {
        return new Pipeline(model, name, new UniformGrid(), 10, new ClassifierFreeGuidance(PAPER_GUIDANCE),
                DEFAULT_SEED, Policies.sync(),
                SamplingMode.ASYNC, DeviationBound.HALF, 1.0, AsyncRule.DEFAULT_SIGMA_MIN, DEFAULT_BATCH, false,
                StepCallback.NONE, Solver.EULER, LatentClock.GRID);
    }

    /**
     * The embedded text-to-image model trained by the project on its procedural world (16×16×4 latent of 64×64
     * images): 10 steps, CFG 5, uniform grid. Prompts use the world's vocabulary ("a red circle left of a blue
     * square"). The shipped weights are loaded once per JVM.
     */
    public static Pipeline tiny() {
        return of(ShippedTinyModel.get(), "tiny");
    }

    /**
     * The embedded model with weights written by {@code asyncdiff train-base} (an export or checkpoint folder
     * holding {@code tiny.safetensors} and {@code vocab.txt}); the model lives until the JVM exits.
     */
    public static Pipeline tiny(Path weights) {
        return of(TinyFlowModel.load(weights), "tiny");
    }

    /** The exact Gaussian-mixture backbone. */
    public static Pipeline gmm(GmmSpec spec) {
        return of(new GmmFlowModel(spec), "gmm");
    }

    /** The exact Gaussian-mixture backbone, read from a JSON spec file. */
    public static Pipeline gmm(Path specFile) {
        return gmm(GmmSpec.read(specFile));
    }

    /**
     * Flux.1-dev as in the paper: 512×512 (a 16×64×64 latent, 1024 packed tokens), 10 steps, the
     * resolution-dependent shift, guidance 3.5 (Flux is guidance-distilled). This preset holds no weights, so
     * generate fails; {@link #flux(Path)} loads them.
     */
    public static Pipeline flux() {
        return fluxPreset(new UnavailableBackbone("flux.1-dev", new int[] {16, 64, 64}, 2));
    }

    /** {@link #flux()} on the weights of a diffusers folder of Flux.1-dev, at 512×512. */
    public static Pipeline flux(Path dir) {
        return flux(dir, DEFAULT_IMAGE_SIZE);
    }

    /** {@link #flux()} on the weights of a diffusers folder, for square images of side {@code imageSize}. */
    public static Pipeline flux(Path dir, int imageSize) {
        return flux(dir, Loading.defaults().imageSize(imageSize));
    }

    /**
     * {@link #flux()} on the weights of a diffusers folder, loaded as {@code loading} says (image size, device, T5
     * residency), e.g. {@code Pipeline.flux(dir, Loading.defaults().device("cuda"))}.
     */
    public static Pipeline flux(Path dir, Loading loading) {
        return fluxPreset(FluxFlowModel.load(dir, loading));
    }

    private static Pipeline fluxPreset(FlowModel model) {
        // The same path as .schedule("flux-dynamic"): the shift reads the backbone's image-token count.
        return of(model, "flux.1-dev").schedule(FluxShiftGrid.NAME).steps(10).distilledGuidance(FLUX_GUIDANCE);
    }

    /**
     * SD3.5-medium as in the paper: 512×512 (16×64×64 latent), 15 steps, static shift 3, CFG 5. This preset holds
     * no weights, so generate fails; {@link #sd35(Path)} loads them.
     */
    public static Pipeline sd35() {
        return sd35Preset(new UnavailableBackbone("sd3.5-medium", new int[] {16, 64, 64}, 2));
    }

    /** {@link #sd35()} on the weights of a diffusers folder of SD3.5-medium, at 512×512. */
    public static Pipeline sd35(Path dir) {
        return sd35(dir, DEFAULT_IMAGE_SIZE);
    }

    /** {@link #sd35()} on the weights of a diffusers folder, for square images of side {@code imageSize}. */
    public static Pipeline sd35(Path dir, int imageSize) {
        return sd35(dir, Loading.defaults().imageSize(imageSize));
    }

    /**
     * {@link #sd35()} on the weights of a diffusers folder, loaded as {@code loading} says (image size, device, T5
     * residency), e.g. {@code Pipeline.sd35(dir, Loading.defaults().device("cuda"))}.
     */
    public static Pipeline sd35(Path dir, Loading loading) {
        return sd35Preset(Sd35FlowModel.load(dir, loading));
    }

    private static Pipeline sd35Preset(FlowModel model) {
        return of(model, "sd3.5-medium").schedule(new StaticShiftGrid(StaticShiftGrid.SD3_SHIFT)).steps(15)
                .guidance(PAPER_GUIDANCE);
    }

    /**
     * A text-to-image preset by name, so that notebooks and scripts switch backbones with one variable: "tiny"
     * ({@link #tiny()}), "flux" ({@link #flux()}) or "sd35" ({@link #sd35()}). The exact mixture needs a spec and
     * has its own factory, {@link #gmm(GmmSpec)}.
     */
    public static Pipeline named(String backbone) {
        return switch (backbone) {
            case "tiny" -> tiny();
            case "flux" -> flux();
            case "sd35" -> sd35();
            default -> throw new IllegalArgumentException("unknown text-to-image backbone '" + backbone
                    + "' (choose tiny, flux or sd35; the exact mixture is Pipeline.gmm(spec))");
        };
    }

    /**
     * {@link #named(String)} on weights: the tiny model's from {@code train-base} or a real backbone's diffusers
     * folder; null weights give {@link #named(String)} (the shipped tiny weights; the real backbones' presets, which
     * refuse to sample without weights).
     */
    public static Pipeline named(String backbone, Path weights) {
        if (weights == null) {
            return named(backbone);
        }
        return switch (backbone) {
            case "tiny" -> tiny(weights);
            case "flux" -> flux(weights);
            case "sd35" -> sd35(weights);
            default -> named(backbone);
        };
    }

    public Pipeline model(FlowModel m) {
        return new Pipeline(m, backbone, schedule, steps, guidance, seed, policy, mode, bound, gamma, sigmaMin,
                batchSize, recordStates, onStep, solver, clock);
    }

    public Pipeline steps(int k) {
        return new Pipeline(model, backbone, schedule, k, guidance, seed, policy, mode, bound, gamma, sigmaMin,
                batchSize, recordStates, onStep, solver, clock);
    }

    /** A custom grid also sets the step count to its length. */
    public Pipeline schedule(TimeGrid g) {
        int k = g instanceof CustomGrid c ? c.points().length - 1 : steps;
        return new Pipeline(model, backbone, g, k, guidance, seed, policy, mode, bound, gamma, sigmaMin,
                batchSize, recordStates, onStep, solver, clock);
    }

    /** uniform, shift:S, flux-dynamic (this backbone's image-token count) or flux-dynamic:N, logsnr, custom:1,…,0. */
    public Pipeline schedule(String spec) {
        return schedule(TimeGrids.parse(spec, model.positions()));
    }

    /** The guidance scale, keeping the guidance kind (classifier-free unless set to distilled). */
    public Pipeline guidance(double w) {
        return guidance(guidance.withScale(w));
    }

    /** Classifier-free guidance at scale w (Eq. 5). */
    public Pipeline cfg(double w) {
        return guidance(new ClassifierFreeGuidance(w));
    }

    /** Guidance as an input of a guidance-distilled backbone (Flux.1-dev), one model pass per step. */
    public Pipeline distilledGuidance(double g) {
        return guidance(new DistilledGuidance(g));
    }

    public Pipeline guidance(Guidance g) {
        return new Pipeline(model, backbone, schedule, steps, g, seed, policy, mode, bound, gamma, sigmaMin,
                batchSize, recordStates, onStep, solver, clock);
    }

    public Pipeline seed(long s) {
        return new Pipeline(model, backbone, schedule, steps, guidance, s, policy, mode, bound, gamma, sigmaMin,
                batchSize, recordStates, onStep, solver, clock);
    }

    /**
     * Asynchronous conditioning with this policy (Algorithm 2). A policy learned under a deviation bound (a trained
     * TPM, a distillate) brings that bound along, since sampling it under the other is a mistake nothing else would
     * show; {@link #bound} after this call samples it under another all the same, with a warning.
     */
    public Pipeline async(TimestepPolicy p) {
        return new Pipeline(model, backbone, schedule, steps, guidance, seed, p, SamplingMode.ASYNC,
                p.trainedBound().orElse(bound), gamma, sigmaMin, batchSize, recordStates, onStep, solver, clock);
    }

    /** Synchronous sampling (Algorithm 1). */
    public Pipeline sync() {
        return async(Policies.sync());
    }

    /** Eq. 12: η = 1 + (r − 0.5)·γ. */
    public Pipeline gamma(double g) {
        return new Pipeline(model, backbone, schedule, steps, guidance, seed, policy, mode, bound, g, sigmaMin,
                batchSize, recordStates, onStep, solver, clock);
    }

    /** Eq. 13: η = 2r (needs a TPM trained for it). */
    public Pipeline liftedBound() {
        return bound(DeviationBound.LIFTED);
    }

    /** The deviation bound (Eq. 6 or Eq. 13); one warning line when the policy was learned under the other. */
    public Pipeline bound(DeviationBound b) {
        policy.trainedBound().filter(trained -> trained != b).ifPresent(trained -> Warnings.once("policy "
                + policy.spec() + " was trained under the " + trained.cliName + " bound; sampling it under the "
                + b.cliName + " bound as asked"));
        return new Pipeline(model, backbone, schedule, steps, guidance, seed, policy, mode, b, gamma, sigmaMin,
                batchSize, recordStates, onStep, solver, clock);
    }

    /** Eq. 19–20: keep t_k and scale the update by ω = 1 + (r − 0.5)·γ instead. */
    public Pipeline velocityScale() {
        return mode(SamplingMode.VELOCITY_SCALE);
    }

    public Pipeline mode(SamplingMode m) {
        return new Pipeline(model, backbone, schedule, steps, guidance, seed, policy, m, bound, gamma, sigmaMin,
                batchSize, recordStates, onStep, solver, clock);
    }

    public Pipeline sigmaMin(double s) {
        return new Pipeline(model, backbone, schedule, steps, guidance, seed, policy, mode, bound, gamma, s,
                batchSize, recordStates, onStep, solver, clock);
    }

    public Pipeline batchSize(int b) {
        return new Pipeline(model, backbone, schedule, steps, guidance, seed, policy, mode, bound, gamma, sigmaMin,
                b, recordStates, onStep, solver, clock);
    }

    /** Keep (or not) x_k, v_k and x0_k of every step in the trajectories. */
    public Pipeline recordStates(boolean keep) {
        return new Pipeline(model, backbone, schedule, steps, guidance, seed, policy, mode, bound, gamma, sigmaMin,
                batchSize, keep, onStep, solver, clock);
    }

    /** The solver: {@link Solver#EULER} (the paper's), {@link Solver#HEUN} or {@link Solver#DPMPP_2M}. */
    /** Where each latent position's time is at each step: {@link LatentClock#GRID} (standard) or AsynDM's. */
    public Pipeline clock(LatentClock c) {
        return new Pipeline(model, backbone, schedule, steps, guidance, seed, policy, mode, bound, gamma, sigmaMin,
                batchSize, recordStates, onStep, solver, c);
    }

    /** AsynDM with its defaults: a quadratic concave schedule (k = 0.7) inside dynamic attention masks. */
    public Pipeline asynDM() {
        return clock(AsynDm.DEFAULT);
    }

    /** AsynDM from a spec, e.g. {@code "piecewise:0.5:fixed"} ({@link AsynDm#FORM}). */
    public Pipeline asynDM(String spec) {
        return clock(AsynDm.parse(spec));
    }

    /** The related positions' concave schedule, e.g. {@code concave(QUADRATIC, 0.7)}; AsynDM must be on. */
    public Pipeline concave(ProgressSchedule.Kind kind, double k) {
        return clock(asynDmSettings("concave").withConcave(kind.of(k)));
    }

    /** A related position's attention is at least this multiple of its token's spatial mean; AsynDM must be on. */
    public Pipeline maskThreshold(double multiple) {
        return clock(asynDmSettings("maskThreshold").withThreshold(multiple));
    }

    /**
     * Limits how far a related position's remaining progress may lag the background's (the timestep-disparity limit
     * of {@link AsynDm#maxDisparity}); AsynDM must be on.
     */
    public Pipeline maxDisparity(double d) {
        return clock(asynDmSettings("maxDisparity").withMaxDisparity(d));
    }

    /** Masks from every step's attention (the default); AsynDM must be on. */
    public Pipeline dynamicMasks() {
        return clock(asynDmSettings("dynamicMasks").withMasks(AsynDm.Masks.DYNAMIC));
    }

    /** Masks once per batch, from a full synchronous run; AsynDM must be on. */
    public Pipeline fixedMasks() {
        return clock(asynDmSettings("fixedMasks").withMasks(AsynDm.Masks.FIXED));
    }

    /** Every position on the concave schedule, no masks ("concave everywhere"); AsynDM must be on. */
    public Pipeline concaveEverywhere() {
        return clock(asynDmSettings("concaveEverywhere").withMasks(AsynDm.Masks.EVERYWHERE));
    }

    private AsynDm asynDmSettings(String call) {
        if (!(clock instanceof AsynDm a)) {
            throw new IllegalStateException(call + "() sets AsynDM; call asynDM() before it");
        }
        return a;
    }

    public Pipeline solver(Solver s) {
        return new Pipeline(model, backbone, schedule, steps, guidance, seed, policy, mode, bound, gamma, sigmaMin,
                batchSize, recordStates, onStep, s, clock);
    }

    /** euler, heun or dpmpp2m. */
    public Pipeline solver(String name) {
        return solver(Solver.parse(name));
    }

    public Pipeline onStep(StepCallback c) {
        return new Pipeline(model, backbone, schedule, steps, guidance, seed, policy, mode, bound, gamma, sigmaMin,
                batchSize, recordStates, c, solver, clock);
    }

    /** The time grid t_0 … t_K this pipeline samples on. */
    public double[] grid() {
        return schedule.times(steps);
    }

    public Generation generate(String prompt, int n) {
        return generate(List.of(prompt), n);
    }

    /** n samples of each prompt of a set ({@code PromptSets.load("shapes:colour:val:16")}), prompt-major. */
    public Generation generate(PromptSet prompts, int n) {
        return generate(prompts.prompts(), n);
    }

    /** n samples of each prompt, prompt-major; sample i's noise and randomness depend only on (seed, i). */
    public Generation generate(List<String> prompts, int n) {
        if (prompts.isEmpty()) {
            throw new IllegalArgumentException("give at least one prompt");
        }
        if (n < 1) {
            throw new IllegalArgumentException("n must be at least 1 (got " + n + ")");
        }
        double[] grid = grid();
        model.validate(prompts);
        Sampler sampler = new Sampler(model, new SamplerSettings(grid, guidance, policy, mode,
                new AsyncRule(bound, gamma, sigmaMin), solver, clock, recordStates));
        int total = prompts.size() * n;
        int dim = model.latentSize();
        List<String> order = new ArrayList<>(total);
        float[][] xInit = new float[total][];
        float[][] xFinal = new float[total][];
        List<Trajectory> trajectories = new ArrayList<>(total);
        int done = 0;
        boolean stopped = false;
        while (done < total && !stopped) {
            int rows = Math.min(batchSize, total - done);
            SampleStream[] random = new SampleStream[rows];
            int[] samples = new int[rows];
            List<String> chunkPrompts = new ArrayList<>(rows);
            for (int i = 0; i < rows; i++) {
                int s = done + i;
                samples[i] = s;
                random[i] = new SampleStream(seed, s);
                xInit[s] = random[i].gaussianVector(dim);
                chunkPrompts.add(prompts.get(s / n));
            }
            Conditioning cond = model.encode(chunkPrompts);
            SampledBatch batch = sampler.run(Arrays.copyOfRange(xInit, done, done + rows), cond, chunkPrompts,
                    random, samples, onStep);
            System.arraycopy(batch.x(), 0, xFinal, done, rows);
            trajectories.addAll(batch.trajectories());
            order.addAll(chunkPrompts);
            stopped = batch.stopped();
            done += rows;
        }
        float[][] init = Arrays.copyOf(xInit, done);
        float[][] fin = Arrays.copyOf(xFinal, done);
        List<BufferedImage> images = model.decoder().map(d -> decodeAll(d, fin)).orElse(List.of());
        return new Generation(grid, model.latentShape(), order, init, fin, trajectories, images, stopped);
    }

    private static List<BufferedImage> decodeAll(LatentDecoder decoder, float[][] latents) {
        List<BufferedImage> out = new ArrayList<>(latents.length);
        for (float[] z : latents) {
            out.add(decoder.decode(z));
        }
        return out;
    }

    /** A one-line description: backbone, grid, steps, guidance, policy, mode, solver. */
    public String describe() {
        return backbone + " " + schedule.spec() + " steps=" + steps + " guidance=" + guidance.spec() + " policy=" + policy.spec()
                + " mode=" + mode.cliName + " bound=" + bound.cliName + " gamma=" + gamma + " seed=" + seed
                + " solver=" + solver.name() + (clock instanceof AsynDm a ? " asyndm=" + a.spec() : "");
    }
}
