package dev.asyncdiff.cli;

import dev.asyncdiff.Pipeline;
import dev.asyncdiff.reward.embedded.EmbeddedModel;
import dev.asyncdiff.reward.embedded.EmbeddedNetwork;
import dev.asyncdiff.reward.embedded.RewardTraining;
import me.tongfei.progressbar.ProgressBar;
import me.tongfei.progressbar.ProgressBarBuilder;
import me.tongfei.progressbar.ProgressBarStyle;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;

/** Trains the embedded reward models on the procedural world; resumable. */
@Command(name = "train-rewards", mixinStandardHelpOptions = true,
        description = "Train the embedded reward models (embedded-clip, embedded-pref-a/b/c) on the procedural world;"
                + " one folder per model in --out with checkpoint/, loss.csv, export/ and heldout.csv; resumable. A "
                + "preference model starts from the embedded-clip in --out if there is one, else the shipped one.")
final class TrainRewardsCommand implements Callable<Integer> {
    @Option(names = "--reward", paramLabel = "NAME|all", required = true,
            description = "the model to train: embedded-clip, embedded-pref-a, embedded-pref-b, embedded-pref-c, or "
                    + "all (one after another)")
    String reward;

    @Option(names = "--out", paramLabel = "DIR", required = true,
            description = "folder that gets one subfolder per model")
    Path out;

    @Option(names = "--seed", paramLabel = "S", defaultValue = "" + Pipeline.DEFAULT_SEED,
            description = "seed of initialisation and data (default: ${DEFAULT-VALUE}, the shipped models')")
    long seed;

    @Option(names = "--steps", paramLabel = "N",
            description = "total optimizer steps per model; a resumed run continues to this (default: the shipped "
                    + "models', 4000 for embedded-clip and 1500 for each preference model)")
    Integer steps;

    @Option(names = "--held-out", paramLabel = "N", defaultValue = "" + RewardTraining.Options.HELD_OUT_PAIRS,
            description = "held-out pairs per corruption kind measured after training into heldout.csv; 0 skips it "
                    + "(default: ${DEFAULT-VALUE})")
    int heldOut;

    @Option(names = "--resume", description = "continue each model from its checkpoint in --out")
    boolean resume;

    @Override
    public Integer call() throws IOException {
        List<EmbeddedModel> models = models(reward);
        List<RewardTraining.Options> options = new ArrayList<>();
        for (EmbeddedModel m : models) {
            RewardTraining.Options o = RewardTraining.Options.defaults(m, seed);
            o = new RewardTraining.Options(seed, steps == null ? o.steps() : steps, o.batch(), o.learningRate(),
                    o.checkpointEvery(), heldOut);
            options.add(o);
        }
        writable(out);
        for (int i = 0; i < models.size(); i++) {
            EmbeddedModel m = models.get(i);
            RewardTraining.Options o = options.get(i);
            RewardTraining training = new RewardTraining(m, o, out.resolve(m.rewardName()),
                    m.head() == EmbeddedNetwork.Head.CLIP ? Map.of() : RewardTraining.contrastiveEncoders(out));
            long start = System.nanoTime();
            try (ProgressBar bar = new ProgressBarBuilder().setTaskName(m.rewardName()).setInitialMax(o.steps())
                    .setStyle(ProgressBarStyle.ASCII).setUpdateIntervalMillis(1000).setMaxRenderedLength(110)
                    .startsFrom(0, Duration.ZERO).showSpeed().build()) {
                training.run(resume, (done, loss, accuracy) -> {
                    bar.stepTo(done);
                    bar.setExtraMessage(String.format(Locale.ROOT, "loss %.4f acc %.2f", loss, accuracy));
                }, System.err);
            }
            System.out.printf(Locale.ROOT, "%s: exported %s in %.1f min (copy its two files to "
                    + "dsl/src/main/resources/dev/asyncdiff/rewards/ to ship them)%n", m.rewardName(),
                    training.exportDir(), (System.nanoTime() - start) / 60e9);
        }
        return 0;
    }

    private static List<EmbeddedModel> models(String name) {
        if (name.equals("all")) {
            return List.of(EmbeddedModel.values());
        }
        return List.of(EmbeddedModel.byName(name).orElseThrow(() -> {
            List<String> known = new ArrayList<>(Arrays.stream(EmbeddedModel.values()).map(EmbeddedModel::rewardName)
                    .toList());
            known.add("all");
            return new IllegalArgumentException("--reward: unknown embedded reward model '" + name + "'; known: "
                    + String.join(", ", known));
        }));
    }

    /** Refuses an --out that cannot hold the run's folders before any training starts. */
    private static void writable(Path out) {
        try {
            Files.createDirectories(out);
        } catch (IOException | SecurityException e) {
            throw new IllegalArgumentException("--out " + out + " cannot be created (" + e.getClass().getSimpleName()
                    + "); choose a writable folder");
        }
        if (!Files.isWritable(out)) {
            throw new IllegalArgumentException("--out " + out + " is not writable; choose a writable folder");
        }
    }
}
