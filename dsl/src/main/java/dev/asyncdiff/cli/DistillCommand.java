package dev.asyncdiff.cli;

import dev.asyncdiff.Pipeline;
import dev.asyncdiff.data.PromptSet;
import dev.asyncdiff.data.PromptSets;
import dev.asyncdiff.io.AtomicFiles;
import dev.asyncdiff.io.CsvRow;
import dev.asyncdiff.policy.DistilledPolicy;
import dev.asyncdiff.policy.StepFeatures;
import dev.asyncdiff.sample.DeviationBound;
import dev.asyncdiff.tpm.TpmDistillation;
import dev.asyncdiff.tpm.TpmPolicies;
import dev.asyncdiff.tpm.TpmPolicy;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.Callable;

/** Distils a trained TPM into a fixed deviation and a regression tree of the deviation on step features. */
@Command(name = "distill", mixinStandardHelpOptions = true,
        description = "Distil a TPM without RL: sample prompts with it (its Beta's mode), record every step's "
                + "deviation, and write a fixed deviation (the mean) and a Tribuo regression tree of the deviation on "
                + "(k, t_k, K, prompt category), usable as --policy distilled:DIR.")
final class DistillCommand implements Callable<Integer> {
    @Option(names = "--tpm", paramLabel = "PATH", required = true, description = "a TPM folder from train-tpm, "
            + "or shipped / shipped-lifted (the TPMs the build ships)")
    Path tpm;

    @Option(names = "--weights", paramLabel = "DIR", description = "tiny-model weights from train-base (default: "
            + "the shipped ones)")
    Path weights;

    @Option(names = "--prompts", paramLabel = "SPEC", defaultValue = "shapes:all:train",
            description = "prompts to sample (see 'asyncdiff prompts --help'; default: ${DEFAULT-VALUE})")
    String prompts;

    @Option(names = "--steps", paramLabel = "K", split = ",", defaultValue = "10",
            description = "step counts to sample at, comma-separated, each at least 2; the distillate samples step "
                    + "counts within their range (default: ${DEFAULT-VALUE})")
    List<Integer> steps;

    @Option(names = "--n", paramLabel = "N", defaultValue = "1",
            description = "samples per prompt and step count (default: ${DEFAULT-VALUE})")
    int n;

    @Option(names = "--bound", paramLabel = "half|lifted",
            description = "the bound to sample the TPM under (default: the one it was trained under, else half; "
                    + "another one warns)")
    String bound;

    @Option(names = "--guidance", paramLabel = "W", defaultValue = "5",
            description = "classifier-free guidance scale (default: ${DEFAULT-VALUE})")
    double guidance;

    @Option(names = "--max-depth", paramLabel = "D", defaultValue = "6",
            description = "the regression tree's depth limit (default: ${DEFAULT-VALUE})")
    int maxDepth;

    @Option(names = "--seed", paramLabel = "SEED", defaultValue = "" + Pipeline.DEFAULT_SEED,
            description = "seed of the initial noises (default: ${DEFAULT-VALUE})")
    long seed;

    @Option(names = "--out", paramLabel = "DIR", defaultValue = "out/distill",
            description = "output folder: new, empty or an earlier run's, which it replaces (default: ${DEFAULT-VALUE})")
    Path out;

    @Override
    public Integer call() throws Exception {
        if (n < 1) {
            throw new IllegalArgumentException("--n must be at least 1 (got " + n + ")");
        }
        for (int k : steps) {
            if (k < 2) {
                throw new IllegalArgumentException("--steps must each be at least 2: a TPM decides from step 1 on "
                        + "(got " + k + ")");
            }
        }
        DistilledPolicy.checkMaxDepth(maxDepth);
        SamplingOptions.checkGuidance(guidance);
        String spec = "tpm:" + tpm;
        TpmPolicies.check(spec);
        PromptSet set = PromptSets.load(prompts);
        DeviationBound chosenBound = bound == null ? null : DeviationBound.parse(bound);
        Pipeline base = Backbones.pipeline("tiny", null, weights).guidance(guidance).seed(seed);
        base.model().validate(set.prompts());
        Pipeline withTpm = base.async(TpmPolicies.resolve(spec, base, TpmPolicy.Choice.MODE));
        if (chosenBound != null) {
            withTpm = withTpm.bound(chosenBound);
        }
        long total = steps.stream().mapToLong(k -> StepProgress.totalSteps(set.size() * n, base.batchSize(), k)).sum();
        try (OutputFolder folder = OutputFolder.claim(out, "distill");
             StepProgress progress = new StepProgress("distill", total)) {
            TpmDistillation.Result r = TpmDistillation.run(withTpm, "tiny", tpm.toString(), set.prompts(),
                    steps, n, maxDepth, progress);
            r.policy().save(folder.dir());
            StringBuilder csv = new StringBuilder("k,t,steps,category,deviation\n");
            for (int i = 0; i < r.deviations().length; i++) {
                StepFeatures f = r.features().get(i);
                csv.append(CsvRow.of(List.of(String.valueOf(f.k()), String.valueOf(f.t()), String.valueOf(f.steps()),
                        f.category(), String.valueOf(r.deviations()[i])))).append('\n');
            }
            AtomicFiles.write(folder.dir().resolve("deviations.csv"), csv.toString().getBytes(StandardCharsets.UTF_8));
            folder.commit();
            report(r);
        }
        return 0;
    }

    private void report(TpmDistillation.Result r) {
        DistilledPolicy.Fit fit = r.policy().summary().fit();
        Map<Integer, double[]> byStep = new TreeMap<>();
        for (int i = 0; i < r.deviations().length; i++) {
            double[] sumCount = byStep.computeIfAbsent(r.features().get(i).k(), k -> new double[2]);
            sumCount[0] += r.deviations()[i];
            sumCount[1]++;
        }
        System.out.printf(Locale.ROOT, "distilled %d steps of %s into %s%n", fit.examples(), tpm, out);
        System.out.printf(Locale.ROOT, "  (a) fixed deviation: --policy fixed:%.6f  (RMSE %.4f)%n", fit.fixedDeviation(),
                fit.rmseFixed());
        System.out.printf(Locale.ROOT, "  (b) regression tree (depth <= %d): --policy distilled:%s  (RMSE %.4f)%n",
                fit.maxDepth(), out, fit.rmseTree());
        StringBuilder line = new StringBuilder("  mean deviation per step k:");
        byStep.forEach((k, s) -> line.append(String.format(Locale.ROOT, " %d:%+.3f", k, s[0] / s[1])));
        System.out.println(line);
    }
}
