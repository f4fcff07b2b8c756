package dev.asyncdiff.model.tiny;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.NDScope;
import ai.djl.ndarray.types.Shape;
import ai.djl.pytorch.jni.JniUtils;
import ai.djl.training.GradientCollector;
import dev.asyncdiff.io.AtomicFiles;
import dev.asyncdiff.io.CheckpointFolders;
import dev.asyncdiff.io.Safetensors;
import dev.asyncdiff.nn.Adam;
import dev.asyncdiff.nn.GradientGuard;
import dev.asyncdiff.nn.NativeData;
import dev.asyncdiff.nn.Params;
import dev.asyncdiff.world.SceneSampler;
import dev.asyncdiff.world.Vocabulary;
import me.tongfei.progressbar.ProgressBar;
import me.tongfei.progressbar.ProgressBarBuilder;
import me.tongfei.progressbar.ProgressBarStyle;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;

/**
 * Trains the tiny backbone from scratch on the procedural world, in two phases:
 * <ol>
 *   <li>the autoencoder, on fresh renders of train-split scenes (pixel MSE); then its latent scale is fitted on a
 *   fixed pool of renders, whose scaled latents are cached ({@code latents.bin}) for the next phase;</li>
 *   <li>the text encoder and DiT jointly, with the rectified-flow loss ‖v − (ε − x0)‖² at x_t = (1 − t)·x0 + t·ε
 *   and t = sigmoid(N(m, 1)) (logit-normal as in SD3, shifted towards noise by m), dropping 10% of prompts to the
 *   null condition for CFG. A fifth of the batches get per-token timesteps (jittered around each sample's t) so
 *   that AsynDM's timestep maps stay in distribution; the others keep one time per sample.</li>
 * </ol>
 * Everything random derives from the seed and the step, so a resumed run continues the same sequence.
 * Checkpoints go to {@code out/ckpt-*} (written completely, then named by {@code out/latest}); the exported
 * model (moving-average weights) goes to {@code out/final}.
 */
public final class BaseTraining {
    /**
     * Training settings; {@link #defaults} holds those of a full run from scratch ({@code train-base} without
     * options), which finishes within 3 hours on a 2-core machine.
     */
    public record Options(Path out, long seed, boolean resume, double minutes, int aeSteps, int aeBatch,
                          float aeLearningRate, int poolSize, int ditSteps, int ditBatch, float ditLearningRate,
                          int warmupSteps, double promptDropout, double perTokenFraction, double timeLogitMean,
                          double checkpointMinutes, InitialWeights init, boolean freshFlow, DiTArchitecture arch,
                          double unstatedPlain, int validateEvery) {
        /**
         * Training time t = sigmoid(N(m, 1)). SD3 uses m = 0; here m = 0.5 puts about twice the weight on t > 0.8,
         * where a 10-step uniform grid spends its first steps and where the layout of a scene is decided (a model
         * trained with m = 0 drew scattered fragments from there).
         */
        public static final double TIME_LOGIT_MEAN = 0.5;
        /** DiT steps between two measurements of the held-out loss ({@code val.csv}). */
        public static final int VALIDATE_EVERY = 250;

        public static Options defaults(Path out) {
            return new Options(out, 42, false, 170, 1200, 32, 1e-3f, 32_000, 9000, 64, 4e-4f, 300, 0.1, 0.2,
                    TIME_LOGIT_MEAN, 3, InitialWeights.FRESH, false, DiTArchitecture.V2, SceneSampler.UNSTATED_PLAIN,
                    VALIDATE_EVERY);
        }
    }

    /**
     * Where training starts: fresh networks, or exported weights (a folder, or the shipped ones) whose autoencoder
     * and latent scale are kept while the text encoder and DiT train on with a fresh optimizer.
     */
    public sealed interface InitialWeights {
        InitialWeights FRESH = new Fresh();
        InitialWeights SHIPPED = new Shipped();

        record Fresh() implements InitialWeights {
        }

        record Shipped() implements InitialWeights {
        }

        record Folder(Path dir) implements InitialWeights {
        }

        /** {@code shipped} or a folder holding {@code tiny.safetensors} and {@code vocab.txt}. */
        static InitialWeights parse(String spec) {
            return spec.equals("shipped") ? SHIPPED : new Folder(Path.of(spec));
        }
    }

    private static final double CLIP_NORM = 1.0;
    private static final float EMA_DECAY = 0.999f;
    private static final int ENCODE_BATCH = 128;
    private static final int LOG_EVERY = 50;
    /** The largest optimizer-state file of a checkpoint: checkpoints may be committed, files there stay &lt; 25 MB. */
    private static final long SHARD_BYTES = 20L << 20;
    private static final int[] TOKEN_OF = tokenTable();

    private final Options o;
    private final PrintStream log;
    private final long deadline;
    private long lastCheckpoint = System.nanoTime();

    public BaseTraining(Options options, PrintStream log) {
        this.o = options;
        this.log = log;
        this.deadline = System.nanoTime() + (long) (options.minutes() * 60e9);
    }

    /** Runs (or resumes) training and returns the folder of the exported model. */
    public Path run() throws IOException {
        Files.createDirectories(o.out());
        if (!o.resume()) {
            Files.deleteIfExists(o.out().resolve("latest"));
            Files.deleteIfExists(o.out().resolve("loss.csv"));
            Files.deleteIfExists(o.out().resolve("val.csv"));
        }
        try (NDManager manager = NDManager.newBaseManager()) {
            Checkpoint start = o.resume() ? Checkpoint.latest(o.out()) : null;
            if (o.resume() && start == null) {
                log.println("no checkpoint in " + o.out() + "; starting from scratch");
            }
            TinyNetworks nets = start != null ? TinyNetworks.load(manager, start.dir()) : initial(manager);
            boolean warm = !(o.init() instanceof InitialWeights.Fresh);
            if (start == null && warm && !o.freshFlow() && !nets.dit.architecture().equals(o.arch())) {
                throw new IllegalArgumentException("the initial weights' DiT is " + nets.dit.architecture()
                        + " but --arch is " + o.arch() + "; pass --arch " + nets.dit.architecture()
                        + " or keep only their autoencoder with --fresh-flow");
            }
            boolean aeDone = start != null ? start.phase().equals("dit") : warm;
            if (!aeDone) {
                nets = trainAutoencoder(manager, nets, start);
            }
            Pool pool = start != null && aeDone ? Pool.read(o.out()) : null;
            if (pool == null) {
                // A resumed flow phase keeps its checkpoint's latent scale (the pool may be rebuilt, e.g. after the
                // checkpoint was carried to another machine without its latents.bin); so do initial weights.
                boolean keepScale = warm || (start != null && aeDone);
                pool = buildPool(manager, nets, keepScale ? nets.ae.latentScale() : Float.NaN);
            }
            nets = nets.withLatentScale(pool.scale());
            if (start == null && (!warm || o.freshFlow())) {
                nets = nets.withFreshFlowModel(manager, o.seed(), o.arch());
            }
            log.printf("tiny model: %,d parameters (autoencoder %,d, text %,d, DiT %s %,d)%n", nets.parameterCount(),
                    nets.ae.params().count(), nets.text.params().count(), nets.dit.architecture(),
                    nets.dit.params().count());
            Validation validation = o.validateEvery() > 0
                    ? Validation.build(manager, nets, o.out(), o.validateEvery(), log) : null;
            nets = trainFlow(manager, nets, pool, aeDone ? start : null, validation);
            Path fin = o.out().resolve("final");
            nets.save(fin);
            log.println("exported " + fin);
            return fin;
        }
    }

    private TinyNetworks initial(NDManager manager) {
        if (o.init() instanceof InitialWeights.Folder f) {
            log.println("starting from the weights in " + f.dir());
            return TinyNetworks.load(manager, f.dir());
        }
        if (o.init() instanceof InitialWeights.Shipped) {
            log.println("starting from the shipped weights");
            return TinyNetworks.loadResources(manager);
        }
        return TinyNetworks.initialize(manager, Vocabulary.words(), o.seed(), o.arch());
    }

    private boolean outOfTime() {
        return System.nanoTime() > deadline;
    }

    private TinyNetworks trainAutoencoder(NDManager manager, TinyNetworks nets, Checkpoint start) throws IOException {
        Params p = nets.ae.params();
        p.requireGradients();
        Adam adam = new Adam(manager, p, EMA_DECAY);
        if (start != null) {
            adam.importState(start.optimizer(), "ae.");
        }
        SceneData data = new SceneData(o.unstatedPlain());
        GradientGuard guard = new GradientGuard(log);
        try (ProgressBar bar = bar("autoencoder", o.aeSteps(), adam.step())) {
            while (adam.step() < o.aeSteps() && !outOfTime()) {
                long step = adam.step();
                Random rng = new Random(o.seed() * 1_000_003L + step);
                float[][] images = new float[o.aeBatch()][];
                for (int i = 0; i < images.length; i++) {
                    images[i] = data.draw(rng).image();
                }
                double loss;
                try (NDScope ignored = new NDScope()) {
                    NDArray x = NativeData.of(manager, TinyFlowModel.flatten(images, 3 * 64 * 64),
                            new Shape(images.length, 3, 64, 64));
                    try (GradientCollector gc = Engine.getInstance().newGradientCollector()) {
                        NDArray l = nets.ae.decode(nets.ae.encode(x)).sub(x).square().mean();
                        gc.backward(l);
                        loss = l.getFloat();
                    }
                    guard.update(adam, learningRate(o.aeLearningRate(), step, o.aeSteps()), CLIP_NORM, step);
                }
                report(bar, "ae", adam.step(), loss, String.format("psnr %.1f dB", 10 * Math.log10(4 / loss)));
                if (checkpointDue()) {
                    saveCheckpoint(nets, "ae", adam, "ae.");
                }
            }
        }
        p.assign(adam.average());
        saveCheckpoint(nets, "ae", adam, "ae.");
        return nets;
    }

    private TinyNetworks trainFlow(NDManager manager, TinyNetworks nets, Pool pool, Checkpoint start,
                                   Validation validation) throws IOException {
        Map<String, NDArray> joint = new LinkedHashMap<>();
        nets.text.params().all().forEach((k, v) -> joint.put("text." + k, v));
        nets.dit.params().all().forEach((k, v) -> joint.put("dit." + k, v));
        Params p = Params.of(joint);
        p.requireGradients();
        Adam adam = new Adam(manager, p, EMA_DECAY);
        if (start != null) {
            adam.importState(start.optimizer(), "flow.");
        }
        int b = o.ditBatch();
        int d = 4 * 16 * 16;
        int l = TinyNetworks.MAX_TOKENS;
        GradientGuard guard = new GradientGuard(log);
        try (ProgressBar bar = bar("text encoder + DiT", o.ditSteps(), adam.step())) {
            while (adam.step() < o.ditSteps() && !outOfTime()) {
                long step = adam.step();
                Random rng = new Random(o.seed() * 7_000_003L + step);
                // A whole batch has per-token times or none: a per-sample time [B, 1] embeds and modulates once
                // per sample instead of once per token.
                boolean perToken = rng.nextDouble() < o.perTokenFraction();
                int times = perToken ? DiT.TOKENS : 1;
                float[] xt = new float[b * d];
                float[] target = new float[b * d];
                float[] t = new float[b * times];
                float[] drop = new float[b];
                int[][] ids = new int[b][l];
                for (int i = 0; i < b; i++) {
                    int k = rng.nextInt(pool.size());
                    int[] row = nets.tokenizer.encode(pool.captions().get(k));
                    System.arraycopy(row, 0, ids[i], 0, row.length);
                    drop[i] = rng.nextDouble() < o.promptDropout() ? 1f : 0f;
                    double logit = o.timeLogitMean() + rng.nextGaussian(); // t = sigmoid(N(m, 1)): logit-normal (SD3)
                    for (int q = 0; q < times; q++) {
                        double lq = perToken ? logit + 0.5 * rng.nextGaussian() : logit;
                        t[i * times + q] = (float) (1 / (1 + Math.exp(-lq)));
                    }
                    for (int j = 0; j < d; j++) {
                        float tj = t[i * times + (perToken ? TOKEN_OF[j] : 0)];
                        float x0 = pool.latents()[k * d + j];
                        float eps = (float) rng.nextGaussian();
                        xt[i * d + j] = (1 - tj) * x0 + tj * eps;
                        target[i * d + j] = eps - x0;
                    }
                }
                double loss;
                try (NDScope ignored = new NDScope()) {
                    NDArray x = NativeData.of(manager, xt, new Shape(b, 4, 16, 16));
                    NDArray v = NativeData.of(manager, target, new Shape(b, 4, 16, 16));
                    NDArray ts = NativeData.of(manager, t, new Shape(b, times));
                    NDArray dr = NativeData.of(manager, drop, new Shape(b, 1));
                    try (GradientCollector gc = Engine.getInstance().newGradientCollector()) {
                        NDArray[] c = nets.text.encode(manager, ids);
                        NDArray[] n = nets.text.unconditional(manager, b);
                        NDArray keep = dr.neg().add(1f);
                        NDArray tokens = mix(c[0], n[0], keep.expandDims(2), dr.expandDims(2));
                        NDArray pooled = mix(c[1], n[1], keep, dr);
                        NDArray mask = mix(c[2], n[2], keep, dr);
                        NDArray l2 = nets.dit.forward(x, ts, tokens, pooled, mask, false).velocity().sub(v).square()
                                .mean();
                        gc.backward(l2);
                        loss = l2.getFloat();
                    }
                    guard.update(adam, learningRate(o.ditLearningRate(), step, o.ditSteps()), CLIP_NORM, step);
                }
                report(bar, "dit", adam.step(), loss, "");
                if (validation != null && adam.step() % o.validateEvery() == 0) {
                    validation.measure(manager, nets, adam.step());
                }
                if (checkpointDue()) {
                    saveCheckpoint(nets, "dit", adam, "flow.");
                }
            }
        }
        saveCheckpoint(nets, "dit", adam, "flow.");
        p.assign(adam.average());
        return nets;
    }

    private static NDArray mix(NDArray cond, NDArray uncond, NDArray keep, NDArray drop) {
        return cond.mul(keep).add(uncond.mul(drop));
    }

    /** Linear warm-up, then constant, then a linear decay to a tenth over the last 30% of the steps. */
    private float learningRate(float base, long step, int total) {
        double warm = Math.min(1.0, (step + 1.0) / o.warmupSteps());
        double tail = Math.min(1.0, Math.max(0.0, (step - 0.7 * total) / (0.3 * total)));
        return (float) (base * warm * (1.0 - 0.9 * tail));
    }

    /** Encodes a fixed pool of renders; {@code fixedScale} keeps a trained model's latent scale, NaN fits one. */
    private Pool buildPool(NDManager manager, TinyNetworks nets, float fixedScale) throws IOException {
        SceneData data = new SceneData(o.unstatedPlain());
        int n = o.poolSize();
        int d = 4 * 16 * 16;
        float[] latents = new float[n * d];
        List<String> captions = new ArrayList<>(n);
        JniUtils.setGradMode(false);
        try (ProgressBar bar = bar("latent pool", n, 0)) {
            for (int start = 0; start < n; start += ENCODE_BATCH) {
                int m = Math.min(ENCODE_BATCH, n - start);
                Random rng = new Random(o.seed() * 3_000_017L + start);
                float[][] images = new float[m][];
                for (int i = 0; i < m; i++) {
                    SceneData.Pair pair = data.draw(rng);
                    captions.add(pair.caption());
                    images[i] = pair.image();
                }
                try (NDScope ignored = new NDScope()) {
                    NDArray z = nets.ae.encode(NativeData.of(manager, TinyFlowModel.flatten(images, 3 * 64 * 64),
                            new Shape(m, 3, 64, 64)));
                    System.arraycopy(z.toFloatArray(), 0, latents, start * d, m * d);
                }
                bar.stepTo(start + m);
            }
        }
        double sum = 0;
        double sq = 0;
        for (float v : latents) {
            sum += v;
            sq += (double) v * v;
        }
        double mean = sum / latents.length;
        float scale = Float.isNaN(fixedScale) ? (float) (1 / Math.sqrt(sq / latents.length - mean * mean))
                : fixedScale;
        for (int i = 0; i < latents.length; i++) {
            latents[i] *= scale;
        }
        log.printf("latent pool: %d scenes, latent mean %.4f, scale %.4f%n", n, mean, scale);
        Pool pool = new Pool(latents, captions, scale);
        pool.write(o.out());
        return pool;
    }

    private boolean checkpointDue() {
        return System.nanoTime() - lastCheckpoint > (long) (o.checkpointMinutes() * 60e9);
    }

    private void saveCheckpoint(TinyNetworks nets, String phase, Adam adam, String prefix) throws IOException {
        String name = String.format("ckpt-%s-%06d", phase, adam.step());
        Path dir = o.out().resolve(name);
        nets.save(dir);
        Map<String, Safetensors.Tensor> opt = new LinkedHashMap<>();
        adam.exportState(opt, prefix);
        writeShards(dir, opt);
        AtomicFiles.write(dir.resolve("phase.txt"), (phase + "\n").getBytes(StandardCharsets.UTF_8));
        String previous = Checkpoint.latestName(o.out());
        AtomicFiles.write(o.out().resolve("latest"), (name + "\n").getBytes(StandardCharsets.UTF_8));
        if (previous != null && !previous.equals(name)) {
            CheckpointFolders.delete(o.out().resolve(previous));
        }
        lastCheckpoint = System.nanoTime();
    }

    /**
     * Writes the optimizer state as {@code optimizer-NN.safetensors} files of at most {@link #SHARD_BYTES} each, so
     * that a checkpoint can be committed where single files must stay small.
     */
    private static void writeShards(Path dir, Map<String, Safetensors.Tensor> state) throws IOException {
        List<Map<String, Safetensors.Tensor>> shards = new ArrayList<>();
        Map<String, Safetensors.Tensor> shard = new LinkedHashMap<>();
        long bytes = 0;
        for (Map.Entry<String, Safetensors.Tensor> e : state.entrySet()) {
            long size = 4L * e.getValue().data().length;
            if (!shard.isEmpty() && bytes + size > SHARD_BYTES) {
                shards.add(shard);
                shard = new LinkedHashMap<>();
                bytes = 0;
            }
            shard.put(e.getKey(), e.getValue());
            bytes += size;
        }
        shards.add(shard);
        for (int i = 0; i < shards.size(); i++) {
            AtomicFiles.write(dir.resolve(String.format("optimizer-%02d.safetensors", i)),
                    Safetensors.encode(shards.get(i)));
        }
    }

    private static Map<String, Safetensors.Tensor> readShards(Path dir) throws IOException {
        Map<String, Safetensors.Tensor> state = new LinkedHashMap<>();
        for (int i = 0; ; i++) {
            Path f = dir.resolve(String.format("optimizer-%02d.safetensors", i));
            if (!Files.exists(f)) {
                if (i == 0) {
                    throw new IOException(dir + " holds no optimizer state (optimizer-00.safetensors)");
                }
                return state;
            }
            state.putAll(Safetensors.decode(Files.readAllBytes(f)));
        }
    }

    private void report(ProgressBar bar, String phase, long step, double loss, String extra) throws IOException {
        bar.stepTo(step);
        bar.setExtraMessage(String.format("loss %.4f %s", loss, extra));
        if (step % LOG_EVERY == 0) {
            Files.writeString(o.out().resolve("loss.csv"), String.format("%s,%d,%.6f,%d%n", phase, step, loss,
                    System.currentTimeMillis() / 1000), java.nio.file.StandardOpenOption.CREATE,
                    java.nio.file.StandardOpenOption.APPEND);
        }
    }

    /**
     * A bar that starts at {@code start} (a resumed step), so its speed and ETA count only the steps of this run
     * (stepping a fresh bar to the resumed step showed thousands of steps per second and no ETA).
     */
    private static ProgressBar bar(String task, long max, long start) {
        return new ProgressBarBuilder().setTaskName(task).setInitialMax(max).startsFrom(start, Duration.ZERO)
                .setStyle(ProgressBarStyle.ASCII).setUpdateIntervalMillis(2000).setMaxRenderedLength(110)
                .showSpeed().build();
    }


    private static int[] tokenTable() {
        int[] out = new int[4 * 16 * 16];
        for (int i = 0; i < out.length; i++) {
            out[i] = DiT.tokenOf(i);
        }
        return out;
    }

    /** A saved training state: its folder, phase and optimizer tensors. */
    private record Checkpoint(Path dir, String phase, Map<String, Safetensors.Tensor> optimizer) {
        static String latestName(Path out) throws IOException {
            Path latest = out.resolve("latest");
            return Files.exists(latest) ? Files.readString(latest).strip() : null;
        }

        static Checkpoint latest(Path out) throws IOException {
            String name = latestName(out);
            if (name == null) {
                return null;
            }
            Path dir = out.resolve(name);
            return new Checkpoint(dir, Files.readString(dir.resolve("phase.txt")).strip(), readShards(dir));
        }
    }

    /** The cached training latents (already scaled) and their captions. */
    private record Pool(float[] latents, List<String> captions, float scale) {
        int size() {
            return captions.size();
        }

        void write(Path out) throws IOException {
            ByteBuffer buf = ByteBuffer.allocate(4 * latents.length + 4).order(ByteOrder.LITTLE_ENDIAN);
            buf.putFloat(scale);
            buf.asFloatBuffer().put(latents);
            AtomicFiles.write(out.resolve("captions.txt"),
                    (String.join("\n", captions) + "\n").getBytes(StandardCharsets.UTF_8));
            AtomicFiles.write(out.resolve("latents.bin"), buf.array());
        }

        static Pool read(Path out) throws IOException {
            Path lat = out.resolve("latents.bin");
            Path cap = out.resolve("captions.txt");
            if (!Files.exists(lat) || !Files.exists(cap)) {
                return null;
            }
            List<String> captions = Files.readAllLines(cap).stream().filter(s -> !s.isBlank()).toList();
            ByteBuffer buf = ByteBuffer.wrap(Files.readAllBytes(lat)).order(ByteOrder.LITTLE_ENDIAN);
            float scale = buf.getFloat();
            float[] latents = new float[captions.size() * 4 * 16 * 16];
            buf.asFloatBuffer().get(latents);
            return new Pool(latents, captions, scale);
        }
    }
}
