package dev.asyncdiff.cli;

import dev.asyncdiff.Generation;
import dev.asyncdiff.Pipeline;
import dev.asyncdiff.eval.AutoencoderPsnr;
import dev.asyncdiff.eval.Evaluation;
import dev.asyncdiff.sample.LatentClock;
import dev.asyncdiff.eval.Method;
import dev.asyncdiff.eval.OracleCeilings;
import dev.asyncdiff.eval.OracleEvaluation;
import dev.asyncdiff.model.device.ComputeDevice;
import dev.asyncdiff.model.tiny.TinyFlowModel;
import dev.asyncdiff.policy.Policies;
import dev.asyncdiff.tpm.TpmPolicies;
import dev.asyncdiff.world.Caption;
import dev.asyncdiff.world.Category;
import dev.asyncdiff.world.OracleReport;
import dev.asyncdiff.world.Split;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;

/**
 * Oracle accuracy of the embedded model per caption category at several step counts: the quality table of the
 * tiny backbone (one image per caption, the standard splits' val or val_unseen captions).
 */
@Command(name = "eval", mixinStandardHelpOptions = true,
        description = {"Oracle accuracy of the tiny backbone per caption category, one image per caption, at each "
                + "step count; prints Markdown tables.",
                "With --methods: a paired comparison of sampler configurations on a prompt set, scored by --rewards, "
                        + "written into --out (config.json, images.csv, summary.csv/.md/.html, images/); resumable."})
final class EvalCommand implements Callable<Integer> {
    @Option(names = "--backbone", description = "with --methods: tiny, sd35 or flux (sd35 and flux with --weights "
            + "DIR); the oracle accuracy runs on tiny (default: ${DEFAULT-VALUE})", defaultValue = "tiny",
            paramLabel = "tiny|sd35|flux")
    String backbone;

    @Option(names = "--weights", description = "tiny: a folder with tiny.safetensors and vocab.txt from train-base "
            + "(default: the shipped weights); sd35, flux: the folder of a diffusers checkpoint", paramLabel = "DIR")
    Path weights;

    @Option(names = "--image-size", description = "with --methods on sd35 or flux: side of the square images "
            + "(default: " + Pipeline.DEFAULT_IMAGE_SIZE + ")", paramLabel = "PX")
    Integer imageSize;

    @Mixin
    DeviceOption device;

    @Option(names = "--steps", split = ",", description = "step counts, comma-separated "
            + "(default: ${DEFAULT-VALUE})", defaultValue = "10,15,50", paramLabel = "K")
    List<Integer> steps;

    @Option(names = "--per-category", description = "captions per category (default: ${DEFAULT-VALUE})",
            defaultValue = "256", paramLabel = "N")
    int perCategory;

    @Option(names = "--split", description = "val or val_unseen (default: ${DEFAULT-VALUE})", defaultValue = "val",
            paramLabel = "val|val_unseen")
    String split;

    @Option(names = "--schedule", description = "time grid: uniform, shift:S, flux-dynamic, logsnr "
            + "(default: the backbone's, uniform for tiny)", paramLabel = "SCHEDULE")
    String schedule;

    @Option(names = "--guidance", description = "classifier-free guidance scale (default: ${DEFAULT-VALUE}; sd35 and "
            + "flux keep their presets' unless given)",
            defaultValue = "5", paramLabel = "W")
    double guidance;

    @Option(names = "--policy", description = "sync, fixed:D, timeshift[:S], tpm:PATH, tpm:shipped[-lifted] or "
            + "distilled:PATH; a learned one samples under the bound it was trained under (default: "
            + "${DEFAULT-VALUE})", defaultValue = "sync", paramLabel = "sync|fixed:D|timeshift|tpm:PATH|distilled:PATH")
    String policy;

    @Option(names = "--asyndm", paramLabel = "SCHEDULE[:K][:MASKS]", description = "AsynDM for every sample: "
            + dev.asyncdiff.asyndm.AsynDm.FORM + "; with --methods, a method's :asyndm=… overrides it")
    String asyndm;

    @Option(names = "--solver", description = "euler, heun or dpmpp2m (default: ${DEFAULT-VALUE}); with --methods, "
            + "a method's :solver=NAME overrides it", defaultValue = "euler", paramLabel = "euler|heun|dpmpp2m")
    String solver;

    @Option(names = "--seed", description = "random seed (default: ${DEFAULT-VALUE})", defaultValue = "" + Pipeline.DEFAULT_SEED,
            paramLabel = "SEED")
    long seed;

    @Option(names = "--batch-size", description = "samples per model call (default: ${DEFAULT-VALUE})",
            defaultValue = "64", paramLabel = "B")
    int batchSize;

    @Option(names = "--stochastic", description = "with --policy tpm:PATH: draw r from the TPM's Beta (seeded per "
            + "sample) instead of taking its mode; with --methods, add :stochastic to a tpm method instead")
    boolean stochastic;

    @Option(names = "--methods", split = ",", paramLabel = "METHOD", description = "compare these sampler "
            + "configurations: " + Method.GRAMMAR + "; the first is the baseline of the paired differences")
    List<String> methods;

    @Option(names = "--prompts", paramLabel = "SPEC", description = "with --methods: the prompt set (see 'asyncdiff "
            + "prompts --help'; default: ${DEFAULT-VALUE})", defaultValue = "shapes:all:val")
    String prompts;

    @Option(names = "--rewards", paramLabel = "R1,R2", description = "with --methods: the rewards that score every "
            + "image, " + RewardSpecs.HELP + " (default: ${DEFAULT-VALUE})", defaultValue = "oracle,hf-noise")
    String rewards;

    @Option(names = "--n", paramLabel = "N", description = "with --methods: samples per prompt (default: "
            + "${DEFAULT-VALUE})", defaultValue = "1")
    int n;

    @Option(names = "--out", paramLabel = "DIR", description = "with --methods: the evaluation's folder (new, empty, "
            + "or one to resume)")
    Path out;

    @picocli.CommandLine.Spec
    picocli.CommandLine.Model.CommandSpec spec;

    static final String RENDERS = "renders (oracle ceiling)";
    static final String ROUND_TRIP = "renders → autoencoder";

    @Override
    public Integer call() throws java.io.IOException {
        if (methods != null) {
            return compareMethods();
        }
        if (!backbone.equals("tiny")) {
            throw new IllegalArgumentException("the oracle accuracy runs on --backbone tiny only; compare samplers on "
                    + backbone + " with --methods (e.g. --methods sync,fixed:0.3 --rewards hf-noise --out DIR)");
        }
        for (String only : List.of("--prompts", "--rewards", "--n", "--out", "--image-size")) {
            if (spec.commandLine().getParseResult().hasMatchedOption(only)) {
                throw new IllegalArgumentException(only + " belongs to a method comparison; add --methods (e.g. "
                        + "--methods sync,fixed:0.3)");
            }
        }
        checkSteps();
        SamplingOptions.checkGuidance(guidance);
        SamplingOptions.checkBatchSize(batchSize);
        Split s = Arrays.stream(Split.values()).filter(v -> v != Split.TRAIN && v.label().equals(split)).findFirst()
                .orElseThrow(() -> new IllegalArgumentException("--split must be val or val_unseen (got " + split
                        + ")"));
        TpmPolicies.check(policy);
        dev.asyncdiff.tpm.TpmPolicy.Choice choice = TpmPolicies.choice(policy, stochastic);
        List<Caption> captions = OracleEvaluation.captions(s, perCategory);
        Pipeline base = Backbones.pipeline("tiny", null, weights, null, device.resolve("tiny")).guidance(guidance)
                .seed(seed).batchSize(batchSize).solver(solver)
                .clock(asyndm == null ? LatentClock.GRID : dev.asyncdiff.asyndm.AsynDm.parse(asyndm));
        base = base.async(TpmPolicies.resolve(policy, base, choice));
        if (schedule != null) {
            base = base.schedule(schedule);
        }
        Map<String, OracleReport> reports = new LinkedHashMap<>();
        for (int k : steps) {
            long t0 = System.nanoTime();
            Generation g = StepProgress.generate(k + " steps", base.steps(k), OracleEvaluation.prompts(captions), 1);
            OracleReport r = OracleEvaluation.judge(g, captions);
            reports.put(String.valueOf(k), r);
            System.out.printf(Locale.ROOT, "%n### %d steps, %s grid, guidance %s, policy %s, %s, %d captions per "
                    + "category, solver %s (%.0f s)%n%n%s", k, base.schedule().spec(), base.guidance().spec(),
                    base.policy().spec(), s.label(), perCategory, base.solver().name(),
                    (System.nanoTime() - t0) / 1e9, r.toMarkdown());
        }
        TinyFlowModel model = (TinyFlowModel) base.model();
        OracleCeilings.Result ceilings = OracleCeilings.measure(model, captions, seed);
        System.out.printf(Locale.ROOT, "%n### Ceilings: one render per caption, judged as rendered and after the "
                + "autoencoder's round trip%n%n%s%n%s", ceilings.renders().toMarkdown(),
                ceilings.roundTrip().toMarkdown());
        System.out.printf(Locale.ROOT, "%nAutoencoder PSNR on %d val renders: %.2f dB%n", captions.size(),
                AutoencoderPsnr.onValRenders(model, captions.size(), seed));
        reports.put(RENDERS, ceilings.renders());
        reports.put(ROUND_TRIP, ceilings.roundTrip());
        System.out.printf("%n%s%n%s", summary(reports), summaryByObjects(reports));
        return 0;
    }

    /** One row per step count (and per ceiling), one column per number of objects a caption asks for. */
    static String summaryByObjects(Map<String, OracleReport> reports) {
        java.util.SortedSet<Integer> counts = new java.util.TreeSet<>();
        reports.values().forEach(r -> counts.addAll(r.byObjects().keySet()));
        StringBuilder sb = new StringBuilder("| steps |");
        counts.forEach(n -> sb.append(String.format(Locale.ROOT, " %d object%s |", n, n == 1 ? "" : "s")));
        sb.append(" all |\n|---:|").append("---:|".repeat(counts.size() + 1)).append('\n');
        reports.forEach((k, r) -> {
            sb.append("| ").append(k).append(" |");
            counts.forEach(n -> sb.append(String.format(Locale.ROOT, " %.3f |", r.accuracyByObjects(n))));
            sb.append(String.format(Locale.ROOT, " %.3f |%n", r.overall()));
        });
        return sb.toString();
    }

    private int compareMethods() throws java.io.IOException {
        for (String other : List.of("--policy", "--split", "--per-category", "--stochastic")) {
            if (spec.commandLine().getParseResult().hasMatchedOption(other)) {
                throw new IllegalArgumentException(other + " does not apply to a method comparison (--methods sets the "
                        + "samplers, e.g. tpm:PATH:stochastic; --prompts the prompts)");
            }
        }
        checkSteps();
        if (n < 1) {
            throw new IllegalArgumentException("--n must be at least 1 (got " + n + ")");
        }
        if (out == null) {
            throw new IllegalArgumentException("--methods needs --out DIR for the evaluation's files");
        }
        SamplingOptions.checkGuidance(guidance);
        SamplingOptions.checkBatchSize(batchSize);
        List<Method> parsed = methods.stream().map(Method::parse).toList();
        dev.asyncdiff.sample.Solver evaluationSolver = dev.asyncdiff.sample.Solver.parse(solver);
        for (Method m : parsed) {
            dev.asyncdiff.sample.Solver.checkMode(m.solver().orElse(evaluationSolver), m.mode());
        }
        if (parsed.stream().map(Method::spec).distinct().count() != parsed.size()) {
            throw new IllegalArgumentException("--methods names a method twice (got " + String.join(",", methods) + ")");
        }
        List<dev.asyncdiff.reward.Reward> scorers = RewardSpecs.parse(rewards);
        dev.asyncdiff.data.PromptSet set = dev.asyncdiff.data.PromptSets.load(prompts);
        ComputeDevice on = device.resolve(backbone);
        Pipeline preset = Backbones.pipeline(backbone, null, weights, imageSize, on);
        boolean guidanceGiven = spec.commandLine().getParseResult().hasMatchedOption("--guidance");
        Pipeline base = (guidanceGiven || backbone.equals("tiny") ? preset.guidance(guidance) : preset).seed(seed)
                .batchSize(batchSize).solver(solver)
                .clock(asyndm == null ? LatentClock.GRID : dev.asyncdiff.asyndm.AsynDm.parse(asyndm));
        if (schedule != null) {
            base = base.schedule(schedule);
        }
        base.model().validate(set.prompts());
        String described = backbone.equals("tiny") ? TinyFlowModel.describeWeights(weights)
                : weights.toAbsolutePath() + " on " + on.cliName();
        com.google.gson.JsonObject config = Evaluation.config(backbone, described,
                prompts, n, steps, parsed, base, java.util.Map.of());
        Evaluation e = Evaluation.open(out, config, scorers, set.name() + ", " + n + " per prompt");
        var summary = StepProgress.evaluate("eval", e, base, set, n, steps, parsed, scorers);
        System.out.print(summary.toMarkdown());
        return 0;
    }

    private void checkSteps() {
        for (int k : steps) {
            if (k < 1) {
                throw new IllegalArgumentException("--steps must be at least 1 each (got " + k + ")");
            }
        }
    }

    /** One row per step count (and per ceiling), one column per category: the share of captions fully satisfied. */
    static String summary(Map<String, OracleReport> reports) {
        StringBuilder sb = new StringBuilder("| steps |");
        List<Category> cats = new ArrayList<>(List.of(Category.values()));
        cats.forEach(c -> sb.append(' ').append(c.label()).append(" |"));
        sb.append(" all |\n|---:|");
        sb.append("---:|".repeat(cats.size() + 1)).append('\n');
        reports.forEach((k, r) -> {
            sb.append("| ").append(k).append(" |");
            cats.forEach(c -> sb.append(String.format(Locale.ROOT, " %.3f |", r.accuracy(c))));
            sb.append(String.format(Locale.ROOT, " %.3f |%n", r.overall()));
        });
        return sb.toString();
    }
}
