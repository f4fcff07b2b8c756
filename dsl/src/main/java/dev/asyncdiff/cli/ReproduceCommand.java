package dev.asyncdiff.cli;

import dev.asyncdiff.Pipeline;
import dev.asyncdiff.eval.Artefact;
import dev.asyncdiff.eval.Reproduction;
import dev.asyncdiff.model.tiny.TinyFlowModel;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

import java.io.IOException;
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
    @Parameters(arity = "1..*", paramLabel = "ARTEFACT", description = "what to make: " + Artefact.CHOICES)
    List<String> artefacts;

    @Option(names = "--backbone", paramLabel = "tiny", defaultValue = "tiny",
            description = "the backbone (default: ${DEFAULT-VALUE}; sd35 and flux need the paper's rewards, which "
                    + "the project does not have yet)")
    String backbone;

    @Option(names = "--weights", paramLabel = "DIR", description = "tiny weights from train-base (default: the "
            + "shipped ones)")
    Path weights;

    @Mixin
    DeviceOption device;

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
        Reproduction.plan(backbone, quick, chosen);   // refuses a backbone it cannot reproduce on before any loading
        SamplingOptions.checkBatchSize(batchSize);
        Pipeline unseeded = Backbones.pipeline(backbone, null, weights, null, device.resolve(backbone))
                .batchSize(batchSize);
        Pipeline base = seed == null ? unseeded : unseeded.seed(seed);
        List<String> notes = new java.util.ArrayList<>();   // printed below the bars, not through them
        Reproduction.Result r;
        try {
            r = Reproduction.run(out, backbone, TinyFlowModel.describeWeights(weights), base, quick, chosen,
                    StepProgress::new, notes::add);
        } finally {
            notes.forEach(System.err::println);
        }
        System.out.println("wrote " + r.index() + " (" + chosen.size() + " artefact" + (chosen.size() == 1 ? "" : "s")
                + " from " + r.summaries().size() + " evaluation" + (r.summaries().size() == 1 ? "" : "s") + ")");
        return 0;
    }
}
