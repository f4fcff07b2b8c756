package dev.asyncdiff.cli;

import com.google.gson.GsonBuilder;
import com.google.gson.JsonObject;
import dev.asyncdiff.Pipeline;
import dev.asyncdiff.data.PromptSet;
import dev.asyncdiff.data.PromptSets;
import dev.asyncdiff.eval.Artefact;
import dev.asyncdiff.eval.Evaluation;
import dev.asyncdiff.eval.PlannedEvaluation;
import dev.asyncdiff.eval.Reproduction;
import dev.asyncdiff.io.AtomicFiles;
import dev.asyncdiff.reward.Reward;
import dev.asyncdiff.reward.Rewards;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;

/**
 * {@code reproduce ARTEFACT…}: runs the evaluations behind the paper's tables and figures ({@link Reproduction}), one
 * folder each under {@code --out}, and writes {@code INDEX.md}, which says where each artefact lies. A folder of an
 * earlier run with the same settings is resumed: finished cells are kept, other artefacts are added.
 */
@Command(name = "reproduce", mixinStandardHelpOptions = true,
        description = {"Reproduce the paper's tables and figures with its settings (Table 1: SD3.5's 15 steps; "
                + "Table 2: Flux's 10; seed 42) and write them, with INDEX.md, into --out; resumable.",
                "On the tiny backbone the world's val prompts stand in for MS-COCO and T2I-CompBench, and fixed "
                        + "deviations equal to the paper's learned mean deviations stand in for TPMs (labelled so)."})
final class ReproduceCommand implements Callable<Integer> {
    static final String SETTINGS = "reproduce.json";

    @Parameters(arity = "1..*", paramLabel = "ARTEFACT", description = "what to make: " + Artefact.CHOICES)
    List<String> artefacts;

    @Option(names = "--backbone", paramLabel = "tiny", defaultValue = "tiny",
            description = "the backbone (default: ${DEFAULT-VALUE}; sd35 and flux are not available yet)")
    String backbone;

    @Option(names = "--weights", paramLabel = "DIR", description = "tiny weights from train-base (default: the "
            + "shipped ones)")
    Path weights;

    @Option(names = "--quick", description = "the first " + Reproduction.QUICK_PROMPTS + " prompts of each "
            + "evaluation (a smoke run: its numbers mean little)")
    boolean quick;

    @Option(names = "--seed", paramLabel = "SEED", description = "random seed (default: the paper's, 42)")
    Long seed;

    @Option(names = "--batch-size", paramLabel = "B", defaultValue = "64",
            description = "samples per model call (default: ${DEFAULT-VALUE})")
    int batchSize;

    @Option(names = "--out", required = true, paramLabel = "DIR", description = "the folder (new, empty, or one "
            + "to resume)")
    Path out;

    @Override
    public Integer call() throws IOException {
        List<Artefact> chosen = Artefact.parse(artefacts);
        List<PlannedEvaluation> plans = Reproduction.plan(backbone, quick, chosen);
        SamplingOptions.checkBatchSize(batchSize);
        Pipeline unseeded = Backbones.pipeline(backbone, null, weights).batchSize(batchSize);
        Pipeline base = seed == null ? unseeded : unseeded.seed(seed);
        List<Reward> rewards = Rewards.parse(String.join(",", Rewards.names()));
        String weightsName = weights == null ? "shipped" : weights.toString();
        List<PromptSet> sets = plans.stream().map(p -> PromptSets.load(p.prompts())).toList();
        for (PromptSet s : sets) {
            base.model().validate(s.prompts());
        }
        JsonObject settings = settings(weightsName, base);
        claim(settings);
        List<Evaluation> evaluations = plans.stream()
                .map(p -> p.open(out, backbone, weightsName, base, rewards)).toList();
        AtomicFiles.write(out.resolve(SETTINGS), text(settings).getBytes(StandardCharsets.UTF_8));
        for (int i = 0; i < plans.size(); i++) {
            PlannedEvaluation p = plans.get(i);
            StepProgress.evaluate(p.name(), evaluations.get(i), base, sets.get(i), p.n(), p.steps(), p.methods(),
                    rewards);
        }
        Path index = Reproduction.writeIndex(out, backbone, chosen, plans);
        System.out.println("wrote " + index + " (" + chosen.size() + " artefact" + (chosen.size() == 1 ? "" : "s")
                + " from " + plans.size() + " evaluation" + (plans.size() == 1 ? "" : "s") + ")");
        return 0;
    }

    private JsonObject settings(String weightsName, Pipeline base) {
        JsonObject s = new JsonObject();
        s.addProperty("backbone", backbone);
        s.addProperty("weights", weightsName);
        s.addProperty("quick", quick);
        s.addProperty("seed", base.seed());
        return s;
    }

    /** Refuses an --out that holds anything but a reproduction with the same settings; creates it if absent. */
    private void claim(JsonObject settings) {
        Path file = out.resolve(SETTINGS);
        try {
            if (Files.exists(file)) {
                if (!Files.readString(file).strip().equals(text(settings).strip())) {
                    throw new IllegalArgumentException("--out " + out + " holds a reproduction with other settings "
                            + "(see " + file + "); choose a new folder or the same --backbone/--weights/--quick/--seed "
                            + "to resume it");
                }
            } else if (Files.exists(out) && !isEmptyFolder(out)) {
                throw new IllegalArgumentException("--out " + out + " exists and holds no reproduction; choose a new "
                        + "or empty folder");
            }
            Files.createDirectories(out);
        } catch (IOException | SecurityException e) {
            throw new IllegalArgumentException("--out " + out + " cannot be used (" + e.getMessage() + "); choose a "
                    + "writable folder");
        }
    }

    private static boolean isEmptyFolder(Path dir) throws IOException {
        if (!Files.isDirectory(dir)) {
            return false;
        }
        try (var entries = Files.list(dir)) {
            return entries.findAny().isEmpty();
        }
    }

    private static String text(JsonObject settings) {
        return new GsonBuilder().setPrettyPrinting().disableHtmlEscaping().create().toJson(settings) + "\n";
    }
}
