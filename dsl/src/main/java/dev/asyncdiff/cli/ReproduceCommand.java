package dev.asyncdiff.cli;

import dev.asyncdiff.Pipeline;
import dev.asyncdiff.eval.Artefact;
import dev.asyncdiff.eval.Reproduction;
import dev.asyncdiff.reward.Reward;
import dev.asyncdiff.reward.Rewards;
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
                "On the tiny backbone the world's val prompts stand in for MS-COCO and T2I-CompBench; sd35 makes "
                        + "Table 1 and flux Table 2 on the real prompt sets, with the figures at their step counts, "
                        + "scored by the rewards given. Fixed deviations equal to the paper's learned mean deviations "
                        + "stand in for TPMs (labelled so)."})
final class ReproduceCommand implements Callable<Integer> {
    /** The paper's composite (Eq. 16) read from model files, as --rewards writes it. */
    static final String REAL_EXAMPLE = "image-reward:DIR,hpsv2:DIR,clip-score:DIR,pickscore:DIR";

    @Parameters(arity = "1..*", paramLabel = "ARTEFACT", description = "what to make: " + Artefact.CHOICES)
    List<String> artefacts;

    @Option(names = "--backbone", paramLabel = "tiny|sd35|flux", defaultValue = "tiny",
            description = "the backbone (default: ${DEFAULT-VALUE}); sd35 and flux need --weights and --rewards")
    String backbone;

    @Option(names = "--weights", paramLabel = "DIR", description = "tiny weights from train-base (default: the "
            + "shipped ones), or the diffusers folder of sd35 / flux")
    Path weights;

    @Option(names = "--rewards", paramLabel = "R1,R2,…", description = "the rewards that score every evaluation: "
            + RewardSpecs.HELP + " (default on tiny: every reward known by name; required on sd35 and flux, e.g. "
            + "the paper's four: " + REAL_EXAMPLE + ")")
    String rewards;

    @Option(names = "--image-size", paramLabel = "PIXELS", description = "sd35 and flux only: the images' side "
            + "(default: the presets' 512)")
    Integer imageSize;

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
        Reproduction.plan(backbone, quick, chosen);   // refuses what this backbone cannot make before any loading
        SamplingOptions.checkBatchSize(batchSize);
        boolean real = Backbones.real(backbone);
        if (real && (weights == null || rewards == null)) {
            throw new IllegalArgumentException("reproduce --backbone " + backbone + " needs --weights DIR (its "
                    + "diffusers folder) and --rewards (e.g. the paper's four: " + REAL_EXAMPLE + ")");
        }
        List<Reward> scoring = rewards == null ? Reproduction.defaultRewards() : RewardSpecs.parse(rewards);
        try {
            return reproduce(Reproduction.madeOn(backbone, chosen), scoring);
        } finally {
            Rewards.closeAll(scoring);
        }
    }

    private Integer reproduce(List<Artefact> chosen, List<Reward> scoring) throws IOException {
        Pipeline unseeded = Backbones.pipeline(backbone, null, weights, imageSize, device.resolve(backbone))
                .batchSize(batchSize);
        Pipeline base = seed == null ? unseeded : unseeded.seed(seed);
        List<String> notes = new java.util.ArrayList<>();   // printed below the bars, not through them
        Reproduction.Result r;
        try {
            r = Reproduction.run(out, backbone, Reproduction.describeWeights(backbone, weights), base, quick, chosen,
                    scoring, StepProgress::new, notes::add);
        } finally {
            notes.forEach(System.err::println);
        }
        System.out.println("wrote " + r.index() + " (" + chosen.size() + " artefact" + (chosen.size() == 1 ? "" : "s")
                + " from " + r.summaries().size() + " evaluation" + (r.summaries().size() == 1 ? "" : "s") + ")");
        return 0;
    }
}
