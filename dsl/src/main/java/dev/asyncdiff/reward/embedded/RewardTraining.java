package dev.asyncdiff.reward.embedded;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.NDScope;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.GradientCollector;
import dev.asyncdiff.io.AtomicFiles;
import dev.asyncdiff.io.CheckpointFolders;
import dev.asyncdiff.io.CsvRow;
import dev.asyncdiff.io.Safetensors;
import dev.asyncdiff.nn.Adam;
import dev.asyncdiff.nn.GradientGuard;
import dev.asyncdiff.nn.NativeData;
import dev.asyncdiff.nn.Ops;
import dev.asyncdiff.nn.Params;
import dev.asyncdiff.world.Caption;
import dev.asyncdiff.world.ImageTensors;
import dev.asyncdiff.world.PromptSplits;
import dev.asyncdiff.world.Split;

import java.awt.image.BufferedImage;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;

/**
 * Trains one embedded reward model on the world's train captions, resumable. The contrastive model learns with
 * CLIP's symmetric InfoNCE loss and a learned temperature, each image's texts being the batch's captions plus
 * {@value #HARD_NEGATIVES} edited captions per image as hard negatives (as NegCLIP); a preference model starts from
 * the contrastive model's encoders and learns with the Bradley–Terry loss −log σ(s(winner) − s(loser)) on pairs
 * from its {@link CorruptionMix}. Adam with warm-up and a linear decay to a
 * tenth, gradient norm clipped at 1; the exported weights are Adam's moving average.
 *
 * <p>Every draw of step k comes from a generator seeded by (seed, model, k), so the state to save is the weights,
 * the optimizer (moments, average, step) and the seed: {@code DIR/checkpoint/} holds them, written whole beside it
 * and then swapped in, every {@code checkpointEvery} steps and at the end. A resumed run continues the same sequence
 * and ends with the same weights as an uninterrupted one, given the same {@code steps} (the learning-rate schedule
 * runs to it). {@code DIR/loss.csv} logs every step; {@code DIR/export/}
 * gets {@code NAME.safetensors} and {@code NAME.json} (what the shipped files are copied from) and {@code
 * DIR/heldout.csv} the held-out accuracies ({@link HeldOutAccuracy}).
 */
public final class RewardTraining {
    /**
     * Settings; {@link #defaults} are those the shipped models were trained with.
     *
     * @param steps           total optimizer steps; a resumed run continues to this
     * @param batch           images (contrastive) or pairs (preference) per step
     * @param checkpointEvery steps between checkpoints
     * @param heldOutPairs    held-out pairs per kind measured after training (0: none)
     */
    public record Options(long seed, int steps, int batch, float learningRate, int checkpointEvery, int heldOutPairs) {
        public static final int CHECKPOINT_EVERY = 100;
        public static final int HELD_OUT_PAIRS = 200;

        public Options {
            if (steps < 1) {
                throw new IllegalArgumentException("--steps must be at least 1 (got " + steps + ")");
            }
            if (heldOutPairs < 0) {
                throw new IllegalArgumentException("--held-out must be ≥ 0 (got " + heldOutPairs + ")");
            }
            if (batch < 2 || checkpointEvery < 1) {
                throw new IllegalArgumentException("need a batch ≥ 2 (got " + batch + ") and checkpoints every ≥ 1 "
                        + "steps (got " + checkpointEvery + ")");
            }
            if (!(learningRate > 0) || Float.isInfinite(learningRate)) {
                throw new IllegalArgumentException("the learning rate must be a finite number > 0 (got "
                        + learningRate + ")");
            }
        }

        /**
         * The shipped models' settings: the contrastive model 4,000 steps of 64 images at a peak rate of 1e-3
         * (InfoNCE gains from larger batches); a preference model, which starts from the contrastive model's
         * encoders, 1,500 steps of 32 pairs at 5e-4.
         */
        public static Options defaults(EmbeddedModel model, long seed) {
            return model.head() == EmbeddedNetwork.Head.CLIP
                    ? new Options(seed, 4000, 64, 1e-3f, CHECKPOINT_EVERY, HELD_OUT_PAIRS)
                    : new Options(seed, 1500, 32, 5e-4f, CHECKPOINT_EVERY, HELD_OUT_PAIRS);
        }
    }

    /** Told after every step, e.g. to draw a progress bar. */
    public interface Listener {
        void step(long done, double loss, double accuracy);
    }

    private static final float EMA_DECAY = 0.995f;
    private static final double CLIP_NORM = 1.0;
    private static final int WARMUP = 100;
    /** Edited captions per image in a contrastive batch, each by a different edit. */
    static final int HARD_NEGATIVES = 3;

    private final EmbeddedModel model;
    private final Options o;
    private final Path dir;
    private final List<Caption> train = PromptSplits.standard().get(Split.TRAIN);

    private final Map<String, Safetensors.Tensor> encoders;

    /**
     * @param encoders the image and text encoders a preference model starts from (the contrastive model's tensors);
     *                 empty for fresh ones, as the contrastive model starts
     */
    public RewardTraining(EmbeddedModel model, Options options, Path dir, Map<String, Safetensors.Tensor> encoders) {
        if (model.head() == EmbeddedNetwork.Head.CLIP && !encoders.isEmpty()) {
            throw new IllegalArgumentException("the contrastive model trains its encoders from scratch");
        }
        this.model = model;
        this.o = options;
        this.dir = dir;
        this.encoders = Map.copyOf(encoders);
    }

    /**
     * The encoders a preference model starts from: the contrastive model exported under {@code out} by a run of
     * {@code train-rewards} if there is one, else the shipped one.
     */
    public static Map<String, Safetensors.Tensor> contrastiveEncoders(Path out) throws IOException {
        Path run = out.resolve(EmbeddedModel.CLIP.rewardName()).resolve("export");
        return Files.exists(run.resolve(EmbeddedModel.CLIP.rewardName() + ".safetensors"))
                ? EmbeddedWeights.tensors(run, EmbeddedModel.CLIP) : EmbeddedWeights.shippedTensors(EmbeddedModel.CLIP);
    }

    /** The folder of the exported weights. */
    public Path exportDir() {
        return dir.resolve("export");
    }

    /** Trains (or resumes) to {@code steps}; returns the folder of the exported weights. */
    public Path run(boolean resume, Listener listener, PrintStream log) throws IOException {
        Files.createDirectories(dir);
        Path ckpt = dir.resolve("checkpoint");
        CheckpointFolders.recover(ckpt);
        try (NDManager manager = NDManager.newBaseManager()) {
            boolean resuming = resume && Files.exists(ckpt.resolve("state.txt"));
            if (resume && !resuming) {
                log.println(model.rewardName() + ": no checkpoint in " + ckpt + "; starting from scratch");
            }
            Params.Layout layout = EmbeddedNetwork.layout(model.head());
            Params params = resuming
                    ? Params.load(manager, layout, Safetensors.decode(Files.readAllBytes(ckpt.resolve(WEIGHTS))), "",
                    ckpt.toString())
                    : initial(manager, layout);
            params.requireGradients();
            EmbeddedNetwork net = new EmbeddedNetwork(model.head(), params);
            Adam adam = new Adam(manager, params, EMA_DECAY);
            if (resuming) {
                checkSeed(ckpt);
                adam.importState(Safetensors.decode(Files.readAllBytes(ckpt.resolve(OPTIMIZER))), "");
                truncateLog(adam.step());
            } else {
                Files.writeString(dir.resolve("loss.csv"), "step,loss,accuracy\n");
            }
            GradientGuard guard = new GradientGuard(log);
            while (adam.step() < o.steps()) {
                long step = adam.step();
                Random rng = new Random(streamSeed(step));
                double[] lossAndAccuracy = new double[2];
                try (NDScope ignored = new NDScope()) {
                    try (GradientCollector gc = Engine.getInstance().newGradientCollector()) {
                        NDArray loss = model.head() == EmbeddedNetwork.Head.CLIP
                                ? contrastiveLoss(manager, net, rng, lossAndAccuracy)
                                : preferenceLoss(manager, net, rng, lossAndAccuracy);
                        gc.backward(loss);
                        lossAndAccuracy[0] = loss.getFloat();
                    }
                    guard.update(adam, learningRate(step), CLIP_NORM, step);
                }
                if (adam.step() > step) {
                    Files.writeString(dir.resolve("loss.csv"), CsvRow.of(List.of(String.valueOf(adam.step()),
                            CsvRow.number(lossAndAccuracy[0]), CsvRow.number(lossAndAccuracy[1]))) + "\n", StandardOpenOption.APPEND);
                    if (adam.step() % o.checkpointEvery() == 0 || adam.step() == o.steps()) {
                        checkpoint(params, adam, ckpt);
                    }
                    listener.step(adam.step(), lossAndAccuracy[0], lossAndAccuracy[1]);
                }
            }
            EmbeddedNetwork averaged = new EmbeddedNetwork(model.head(), Params.of(adam.average()));
            EmbeddedWeights.save(exportDir(), model, averaged.params(), o.seed(), adam.step());
            if (o.heldOutPairs() > 0) {
                writeHeldOut(averaged);
            }
            return exportDir();
        }
    }

    /** Fresh weights, with the given encoders in place of fresh ones. */
    private Params initial(NDManager manager, Params.Layout layout) {
        Params fresh = Params.initialize(manager, layout, streamSeed(-1));
        if (encoders.isEmpty()) {
            return fresh;
        }
        Map<String, Safetensors.Tensor> start = new LinkedHashMap<>();
        fresh.exportTo(start, "");
        start.replaceAll((name, t) -> EmbeddedNetwork.encoder(name) ? encoders.get(name) : t);
        return Params.load(manager, layout, start, "", "the contrastive model's encoders");
    }

    /** The seed of step {@code step}'s draws (−1: the initial weights), distinct per model. */
    private long streamSeed(long step) {
        return (o.seed() * 1_000_003L + model.ordinal()) * 1_000_033L + step;
    }

    /**
     * CLIP's symmetric InfoNCE: image i against the batch's B captions and every image's hard negatives (target i),
     * and caption
     * i against the batch's images (target i). Accuracy: how often an image's own caption scores highest.
     */
    private NDArray contrastiveLoss(NDManager manager, EmbeddedNetwork net, Random rng, double[] out) {
        int b = o.batch();
        List<BufferedImage> images = new ArrayList<>();
        List<String> texts = new ArrayList<>();
        List<String> negatives = new ArrayList<>();
        for (int i = 0; i < b; i++) {
            Caption c = train.get(rng.nextInt(train.size()));
            images.add(TrainingPairs.render(c, rng.nextLong()));
            texts.add(c.text());
            negatives.addAll(TrainingPairs.negatives(c, HARD_NEGATIVES, rng));
        }
        texts.addAll(negatives);
        int columns = texts.size();
        NDArray logits = net.clipLogits(net.image(pixels(manager, images)), net.text(manager, texts));
        NDArray target = manager.eye(b, columns, 0, DataType.FLOAT32);
        NDArray imageToText = Ops.divided(logits.logSoftmax(1).mul(target).sum(), -b);
        NDArray textToImage = Ops.divided(logits.get(new NDIndex(":, 0:" + b)).logSoftmax(0).mul(target.get(
                new NDIndex(":, 0:" + b))).sum(), -b);
        float[] l = logits.toFloatArray();
        int right = 0;
        for (int i = 0; i < b; i++) {
            int best = 0;
            for (int j = 1; j < columns; j++) {
                best = l[i * columns + j] > l[i * columns + best] ? j : best;
            }
            right += best == i ? 1 : 0;
        }
        out[1] = right / (double) b;
        return Ops.divided(imageToText.add(textToImage), 2);
    }

    /** Bradley–Terry: softplus(s(loser) − s(winner)) = −log σ(s(winner) − s(loser)), averaged over the pairs. */
    private NDArray preferenceLoss(NDManager manager, EmbeddedNetwork net, Random rng, double[] out) {
        int b = o.batch();
        List<BufferedImage> images = new ArrayList<>();
        List<BufferedImage> losers = new ArrayList<>();
        List<String> texts = new ArrayList<>();
        CorruptionMix mix = model.mix().orElseThrow();
        for (int i = 0; i < b; i++) {
            TrainingPairs.PreferencePair p = TrainingPairs.pair(train.get(rng.nextInt(train.size())), mix, rng);
            images.add(p.winner());
            losers.add(p.loser());
            texts.add(p.caption());
        }
        images.addAll(losers);
        texts.addAll(new ArrayList<>(texts));
        NDArray s = net.preference(net.image(pixels(manager, images)), net.text(manager, texts));
        NDArray z = s.get(new NDIndex(b + ":")).sub(s.get(new NDIndex("0:" + b)));
        NDArray loss = Ops.atLeast(z, 0f).add(z.abs().neg().exp().add(1f).log()).mean();
        float[] margin = z.toFloatArray();
        int right = 0;
        for (float m : margin) {
            right += m < 0 ? 1 : 0;
        }
        out[1] = right / (double) b;
        return loss;
    }

    private static NDArray pixels(NDManager manager, List<BufferedImage> images) {
        int side = EmbeddedNetwork.IMAGE;
        int per = 3 * side * side;
        float[] all = new float[images.size() * per];
        for (int i = 0; i < images.size(); i++) {
            System.arraycopy(ImageTensors.toChw(images.get(i)), 0, all, i * per, per);
        }
        return NativeData.of(manager, all, new Shape(images.size(), 3, side, side));
    }

    /** Linear warm-up over {@value #WARMUP} steps, then a linear decay to a tenth at the last step. */
    private float learningRate(long step) {
        double warm = Math.min(1.0, (step + 1.0) / WARMUP);
        return (float) (o.learningRate() * warm * (1 - 0.9 * step / (double) o.steps()));
    }

    private static final String WEIGHTS = "weights.safetensors";
    private static final String OPTIMIZER = "optimizer.safetensors";

    private void checkpoint(Params params, Adam adam, Path ckpt) throws IOException {
        Path tmp = ckpt.resolveSibling("checkpoint.tmp");
        CheckpointFolders.delete(tmp);
        Files.createDirectories(tmp);
        Map<String, Safetensors.Tensor> weights = new LinkedHashMap<>();
        params.exportTo(weights, "");
        AtomicFiles.write(tmp.resolve(WEIGHTS), Safetensors.encode(weights));
        Map<String, Safetensors.Tensor> opt = new LinkedHashMap<>();
        adam.exportState(opt, "");
        AtomicFiles.write(tmp.resolve(OPTIMIZER), Safetensors.encode(opt));
        AtomicFiles.write(tmp.resolve("state.txt"), String.format(Locale.ROOT, "step %d%nseed %d%n", adam.step(),
                o.seed()).getBytes(StandardCharsets.UTF_8));
        CheckpointFolders.swapIn(tmp, ckpt);
    }

    private void checkSeed(Path ckpt) throws IOException {
        String state = Files.readString(ckpt.resolve("state.txt"));
        String expected = "seed " + o.seed();
        if (state.lines().noneMatch(expected::equals)) {
            throw new IllegalArgumentException("the checkpoint in " + ckpt + " was trained with another --seed ("
                    + state.lines().filter(l -> l.startsWith("seed ")).findFirst().orElse("seed ?") + "); resume "
                    + "with that seed or start afresh without --resume");
        }
    }

    /** A resumed run drops log rows past its checkpoint (steps it will do again). */
    private void truncateLog(long steps) throws IOException {
        Path p = dir.resolve("loss.csv");
        List<String> lines = Files.exists(p) ? Files.readAllLines(p) : List.of("step,loss,accuracy");
        AtomicFiles.write(p, (String.join("\n", lines.subList(0, (int) Math.min(lines.size(), steps + 1))) + "\n")
                .getBytes(StandardCharsets.UTF_8));
    }

    private void writeHeldOut(EmbeddedNetwork network) throws IOException {
        EmbeddedReward reward = EmbeddedReward.of(model, network);
        HeldOutAccuracy held = new HeldOutAccuracy(o.heldOutPairs(), o.seed());
        StringBuilder csv = new StringBuilder("reward,test,kind,pairs,accuracy,mean_margin\n");
        for (HeldOutAccuracy.Row r : held.all(reward, model.head() == EmbeddedNetwork.Head.CLIP)) {
            csv.append(CsvRow.of(List.of(model.rewardName(), r.test(), r.kind(), String.valueOf(r.pairs()),
                    CsvRow.number(r.accuracy()), CsvRow.number(r.meanMargin())))).append('\n');
        }
        AtomicFiles.write(dir.resolve("heldout.csv"), csv.toString().getBytes(StandardCharsets.UTF_8));
    }
}
