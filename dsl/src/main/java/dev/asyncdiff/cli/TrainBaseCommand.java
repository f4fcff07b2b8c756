package dev.asyncdiff.cli;

import dev.asyncdiff.Pipeline;
import dev.asyncdiff.model.tiny.BaseTraining;
import dev.asyncdiff.model.tiny.DiTArchitecture;
import dev.asyncdiff.world.SceneSampler;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;

/** Trains the embedded tiny backbone (autoencoder, text encoder, DiT) on the procedural world. */
@Command(name = "train-base", mixinStandardHelpOptions = true,
        description = "Train the embedded tiny backbone on the procedural world; checkpoints to --out, resumable.")
final class TrainBaseCommand implements Callable<Integer> {
    private static final BaseTraining.Options DEFAULTS = BaseTraining.Options.defaults(Path.of("out/train-base"));

    @Option(names = "--out", description = "folder for checkpoints, logs and the exported model (default: "
            + "${DEFAULT-VALUE})", defaultValue = "out/train-base", paramLabel = "DIR")
    Path out;

    @Option(names = "--resume", description = "continue from the last checkpoint in --out")
    boolean resume;

    @Option(names = "--minutes", description = "wall-clock budget of this invocation; training stops, checkpoints "
            + "and exports when it runs out (default: ${DEFAULT-VALUE})", defaultValue = "170", paramLabel = "MIN")
    double minutes;

    @Option(names = "--seed", description = "seed of initialisation, data and noise (default: ${DEFAULT-VALUE})",
            defaultValue = "" + Pipeline.DEFAULT_SEED, paramLabel = "SEED")
    long seed;

    @Option(names = "--ae-steps", description = "autoencoder steps (default: ${DEFAULT-VALUE})", defaultValue = "1200",
            paramLabel = "N")
    int aeSteps;

    @Option(names = "--dit-steps", description = "text encoder + DiT steps (default: ${DEFAULT-VALUE})",
            defaultValue = "9000", paramLabel = "N")
    int ditSteps;

    @Option(names = "--pool", description = "rendered scenes whose latents train the DiT (default: ${DEFAULT-VALUE})",
            defaultValue = "32000", paramLabel = "N")
    int pool;

    @Option(names = "--batch", description = "DiT batch size (default: ${DEFAULT-VALUE})", defaultValue = "64",
            paramLabel = "B")
    int batch;

    @Option(names = "--lr", description = "DiT peak learning rate (default: ${DEFAULT-VALUE})", defaultValue = "4e-4",
            paramLabel = "LR")
    float lr;

    @Option(names = "--time-mean", description = "mean m of the logit-normal training time t = sigmoid(N(m, 1)) "
            + "(default: ${DEFAULT-VALUE}; SD3 uses 0)", defaultValue = "" + BaseTraining.Options.TIME_LOGIT_MEAN,
            paramLabel = "M")
    double timeMean;

    @Option(names = "--init", description = "start from exported weights instead of fresh networks: 'shipped' or a "
            + "folder with tiny.safetensors and vocab.txt; their autoencoder is kept and the text encoder and DiT "
            + "train on with a fresh optimizer", paramLabel = "shipped|DIR")
    String init;

    @Option(names = "--fresh-flow", description = "with --init: keep only the autoencoder (and latent scale) of "
            + "those weights and train a fresh text encoder and DiT")
    boolean freshFlow;

    @Option(names = "--arch", paramLabel = "ARCH", description = "DiT architecture of fresh networks: v2 "
            + "(per-block adaLN-Zero, fixed 2D sin-cos positions with a learned gain), v1 (shared adaLN-single "
            + "modulation, learned positions) or MODULATION+POSITIONS, e.g. per-block+learned (default: "
            + "${DEFAULT-VALUE})", defaultValue = "v2")
    String arch;

    @Option(names = "--unstated-plain", paramLabel = "P", description = "probability that a training object of "
            + "unstated texture is plain (default: the world's rule, ${DEFAULT-VALUE}; 0.25 draws textures "
            + "uniformly)", defaultValue = "" + SceneSampler.UNSTATED_PLAIN)
    double unstatedPlain;

    @Option(names = "--checkpoint-minutes", description = "minutes between checkpoints (default: ${DEFAULT-VALUE})",
            defaultValue = "3", paramLabel = "MIN")
    double checkpointMinutes;

    @Option(names = "--restarts", description = "run training in a child JVM and resume it from the last "
            + "checkpoint up to this many times when it dies of a native crash (a safety net for long runs); 0 "
            + "trains in this JVM (default: ${DEFAULT-VALUE})",
            defaultValue = "20", paramLabel = "N")
    int restarts;

    @Override
    public Integer call() throws IOException, InterruptedException {
        positive("--minutes", minutes);
        positive("--ae-steps", aeSteps);
        positive("--dit-steps", ditSteps);
        positive("--pool", pool);
        positive("--batch", batch);
        positive("--lr", lr);
        positive("--checkpoint-minutes", checkpointMinutes);
        if (!Double.isFinite(timeMean)) {
            throw new IllegalArgumentException("--time-mean must be a finite number (got " + timeMean + ")");
        }
        if (restarts < 0) {
            throw new IllegalArgumentException("--restarts must be ≥ 0 (got " + restarts + ")");
        }
        DiTArchitecture architecture = DiTArchitecture.parse(arch);
        SceneSampler.checkUnstatedPlain(unstatedPlain, "--unstated-plain");
        BaseTraining.InitialWeights initial = initialWeights();
        if (freshFlow && init == null) {
            throw new IllegalArgumentException("--fresh-flow keeps the autoencoder of --init's weights; pass --init "
                    + "shipped or --init DIR with it");
        }
        if (restarts > 0) {
            return new CrashResume(restarts, System::nanoTime, System.err).run(minutes, resume,
                    (left, resuming) -> ChildJvm.run(ChildJvm.command(childJvmOptions(),
                            childArguments(left, resuming))));
        }
        BaseTraining.Options o = new BaseTraining.Options(out, seed, resume, minutes, aeSteps, DEFAULTS.aeBatch(),
                DEFAULTS.aeLearningRate(), pool, ditSteps, batch, lr, DEFAULTS.warmupSteps(), DEFAULTS.promptDropout(),
                DEFAULTS.perTokenFraction(), timeMean, checkpointMinutes, initial, freshFlow, architecture,
                unstatedPlain, DEFAULTS.validateEvery());
        Path fin = new BaseTraining(o, System.err).run();
        System.out.println("trained model in " + fin + " (copy tiny.safetensors and vocab.txt to "
                + "dsl/src/main/resources/dev/asyncdiff/tiny/ to ship it)");
        return 0;
    }

    /**
     * A crashed child's report (hs_err) goes with its run, not into the working directory, and may take 10 s, not
     * the JVM's default 2 minutes (writing it has been seen to hang on the corrupted heap).
     */
    List<String> childJvmOptions() {
        return List.of("-XX:ErrorFile=" + out.toAbsolutePath().resolve("hs_err_%p.log"), "-XX:ErrorLogTimeout=10");
    }

    /** This command's options for a child that trains in its own JVM, with {@code minutes} left. */
    List<String> childArguments(double minutes, boolean resuming) {
        List<String> a = new ArrayList<>(List.of("train-base", "--out", out.toString(), "--minutes", "" + minutes,
                "--seed", "" + seed, "--ae-steps", "" + aeSteps, "--dit-steps", "" + ditSteps, "--pool", "" + pool,
                "--batch", "" + batch, "--lr", "" + lr, "--time-mean", "" + timeMean, "--checkpoint-minutes",
                "" + checkpointMinutes, "--restarts", "0", "--arch", arch, "--unstated-plain", "" + unstatedPlain));
        if (init != null) {
            a.addAll(List.of("--init", init));
        }
        if (freshFlow) {
            a.add("--fresh-flow");
        }
        if (resuming) {
            a.add("--resume");
        }
        return a;
    }

    private BaseTraining.InitialWeights initialWeights() {
        if (init == null) {
            return BaseTraining.InitialWeights.FRESH;
        }
        BaseTraining.InitialWeights w = BaseTraining.InitialWeights.parse(init);
        if (w instanceof BaseTraining.InitialWeights.Folder f && !Files.isRegularFile(f.dir().resolve("tiny.safetensors"))) {
            throw new IllegalArgumentException("--init must be 'shipped' or a folder holding tiny.safetensors and "
                    + "vocab.txt (got " + init + ")");
        }
        return w;
    }

    private static void positive(String name, double v) {
        if (!(v > 0) || Double.isInfinite(v)) {
            throw new IllegalArgumentException(name + " must be a finite number > 0 (got " + v + ")");
        }
    }
}
