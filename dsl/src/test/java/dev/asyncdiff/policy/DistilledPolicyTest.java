package dev.asyncdiff.policy;

import dev.asyncdiff.Pipeline;
import dev.asyncdiff.model.gmm.GmmSpec;
import dev.asyncdiff.sample.SampleStream;
import dev.asyncdiff.tpm.TpmPolicies;
import dev.asyncdiff.tpm.TpmPolicy;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class DistilledPolicyTest {
    private static final GmmSpec GMM = new GmmSpec(new double[] {0.5, 0.5}, new double[][] {{-2, 1}, {2, -1}},
            new double[] {0.5, 0.5});
    private static final List<String> CATEGORIES = List.of("colour", "spatial", StepFeatures.OTHER);

    @TempDir
    Path dir;

    /** The synthetic truth: early steps deviate most, and spatial captions by 0.1 more. */
    private static double truth(int k, String category) {
        return 0.35 - 0.04 * k + (category.equals("spatial") ? 0.1 : 0);
    }

    /** 40 noisy observations per (k, category) on a 10-step uniform grid; noise sd 0.02. */
    private static DistilledPolicy fitted(String backbone, int latentSize) {
        List<StepFeatures> features = new ArrayList<>();
        List<Double> d = new ArrayList<>();
        SampleStream noise = new SampleStream(9, 0);
        for (int k = 1; k < 10; k++) {
            for (String c : CATEGORIES) {
                for (int i = 0; i < 40; i++) {
                    features.add(new StepFeatures(k, 1 - k / 10.0, 10, c));
                    d.add(truth(k, c) + 0.02 * noise.gaussian());
                }
            }
        }
        return DistilledPolicy.fit(new DistilledPolicy.Scope(backbone, latentSize, List.of(10), "half", "synthetic"),
                features, d.stream().mapToDouble(Double::doubleValue).toArray(), 6);
    }

    @Test
    void theTreeRecoversAKnownDeviationFunctionOfTheStepAndCategory() {
        DistilledPolicy p = fitted("gmm", 2);
        for (int k = 1; k < 10; k++) {
            for (String c : CATEGORIES) {
                double predicted = p.predict(new StepFeatures(k, 1 - k / 10.0, 10, c));
                assertEquals(truth(k, c), predicted, 0.02, "k " + k + ", " + c);
            }
        }
        assertTrue(p.summary().fit().rmseTree() < 0.03 && p.summary().fit().rmseFixed() > 0.08,
                "the tree explains what the mean cannot: " + p.summary().fit());
    }

    @Test
    void theFixedDistillateIsTheMeanDeviation() {
        DistilledPolicy p = fitted("gmm", 2);
        double sum = 0;
        int count = 0;
        for (int k = 1; k < 10; k++) {
            for (String c : CATEGORIES) {
                sum += 40 * truth(k, c);
                count += 40;
            }
        }
        // the mean of the noisy data: the truth's mean up to noise of sd 0.02/√1080
        assertEquals(sum / count, p.summary().fit().fixedDeviation(), 0.003);
        assertEquals(count, p.summary().fit().examples());
    }

    @Test
    void aSavedDistillateLoadsBackAndChoosesTheSameR() throws IOException {
        DistilledPolicy p = fitted("gmm", 2);
        p.save(dir);
        DistilledPolicy back = Policies.distilled(dir);
        assertEquals(p.summary(), back.summary());
        Pipeline gmm = Pipeline.gmm(GMM).steps(10).async(back);
        double[] grid = gmm.grid();
        String spatial = dev.asyncdiff.world.PromptSplits.standard().get(dev.asyncdiff.world.Split.VAL,
                dev.asyncdiff.world.Category.SPATIAL).get(0).text();
        assertEquals("spatial", StepFeatures.categoryOf(spatial));
        for (int k = 0; k < 10; k++) {
            PolicyInput in = new PolicyInput(k, grid, new float[][] {{0, 0}, {1, 1}}, null, null, null, null, null,
                    new int[] {0, 1}, List.of(spatial, "0"));
            double[] r = back.decide(in);
            double[] expected = k == 0 ? new double[] {0.5, 0.5} : new double[] {
                    0.5 + p.predict(new StepFeatures(k, grid[k], 10, "spatial")),
                    0.5 + p.predict(new StepFeatures(k, grid[k], 10, StepFeatures.OTHER))};
            assertArrayEquals(expected, r, 1e-15, "step " + k);
        }
        dev.asyncdiff.eval.Method method = dev.asyncdiff.eval.Method.parse("distilled:" + dir + ":gamma=2");
        assertEquals("distilled:" + dir, method.policy());
        assertEquals(2.0, method.gamma());
        double mean = gmm.generate(List.of("0", "1"), 2).meanDeviation();
        assertTrue(mean > 0.05, "the distillate deviates like its data (mean D " + mean + ")");
    }

    @Test
    void aDistillateForAnotherBackboneOrStepCountIsOneClearError() throws IOException {
        fitted("tiny", 256).save(dir.resolve("tiny"));
        IllegalArgumentException backbone = assertThrows(IllegalArgumentException.class, () -> TpmPolicies.resolve(
                "distilled:" + dir.resolve("tiny"), Pipeline.gmm(GMM), TpmPolicy.Choice.MODE));
        assertEquals("distilled policy " + dir.resolve("tiny") + " was distilled on backbone tiny, not gmm; distil a "
                + "TPM of that backbone with distill", backbone.getMessage());

        fitted("gmm", 2).save(dir.resolve("gmm"));
        Pipeline at4 = Pipeline.gmm(GMM).steps(4).async(TpmPolicies.resolve("distilled:" + dir.resolve("gmm"),
                Pipeline.gmm(GMM), TpmPolicy.Choice.MODE));
        IllegalArgumentException steps = assertThrows(IllegalArgumentException.class,
                () -> at4.generate(List.of("0"), 1));
        assertEquals("distilled policy " + dir.resolve("gmm") + " was distilled at [10] steps and cannot sample at 4; "
                + "distil at that step count with distill --steps 4", steps.getMessage());

        Files.writeString(dir.resolve("gmm").resolve(DistilledPolicy.SUMMARY), "{");
        IllegalArgumentException broken = assertThrows(IllegalArgumentException.class,
                () -> Policies.distilled(dir.resolve("gmm")));
        assertTrue(broken.getMessage().startsWith("cannot read the distilled policy in "), broken.getMessage());
        assertThrows(IllegalArgumentException.class, () -> TpmPolicies.check("distilled:" + dir.resolve("none")));
    }
}
