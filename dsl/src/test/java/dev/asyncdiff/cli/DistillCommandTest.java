package dev.asyncdiff.cli;

import ai.djl.ndarray.NDManager;
import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import dev.asyncdiff.Pipeline;
import dev.asyncdiff.io.Safetensors;
import dev.asyncdiff.policy.BetaDistribution;
import dev.asyncdiff.policy.DistilledPolicy;
import dev.asyncdiff.tpm.Tpm;
import dev.asyncdiff.tpm.TpmConfig;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** `distill`: a TPM whose choice is known distils to that deviation, and the distillate samples with it. */
class DistillCommandTest {
    @TempDir
    Path dir;
    private Path tpm;

    /**
     * An untrained TPM whose output layer's bias is (1, 0): its weights are zero, so every step gives (a, b) = (1, 0),
     * α = φ(1) = 3.5, β = φ(0) = 2 (Eq. 17) and the mode r = 2.5/3.5 (Eq. 18).
     */
    @BeforeEach
    void tpmWithAConstantChoice() throws Exception {
        tpm = dir.resolve("tpm");
        try (NDManager m = NDManager.newBaseManager()) {
            Tpm.initialize(m, TpmConfig.forModel("tiny", Pipeline.tiny().model()), 1).save(tpm);
        }
        Path w = tpm.resolve("tpm.safetensors");
        Map<String, Safetensors.Tensor> tensors = Safetensors.decode(Files.readAllBytes(w));
        tensors.put("head.out.b", new Safetensors.Tensor(new int[] {2}, new float[] {1, 0}));
        Files.write(w, Safetensors.encode(tensors));
    }

    private static final double DEVIATION = new BetaDistribution(BetaDistribution.phi(1), BetaDistribution.phi(0))
            .mode() - 0.5;

    @Test
    void aTpmWithAConstantChoiceDistilsToThatDeviationAndTheDistillateSamplesWithIt() throws Exception {
        assertEquals(2.5 / 3.5 - 0.5, DEVIATION, 1e-15);
        Path out = dir.resolve("distilled");
        CliRun r = CliRun.of("distill", "--tpm", tpm.toString(), "--prompts", "shapes:colour:train:4", "--steps", "3,4",
                "--out", out.toString());
        assertEquals(0, r.code(), r.err());
        JsonObject summary = JsonParser.parseString(Files.readString(out.resolve(DistilledPolicy.SUMMARY)))
                .getAsJsonObject();
        JsonObject fit = summary.getAsJsonObject("fit");
        assertEquals(4 * (2 + 3), fit.get("examples").getAsInt(), "steps k >= 1 of 4 prompts at 3 and 4 steps");
        assertEquals(DEVIATION, fit.get("fixedDeviation").getAsDouble(), 1e-6);
        assertEquals("tiny", summary.getAsJsonObject("scope").get("backbone").getAsString());
        List<String> csv = Files.readAllLines(out.resolve("deviations.csv"));
        assertEquals("k,t,steps,category,deviation", csv.get(0));
        assertEquals(21, csv.size());
        assertTrue(csv.subList(1, 21).stream().allMatch(l -> l.contains(",colour,")), csv.get(1));

        Path sampled = dir.resolve("sampled");
        assertEquals(0, CliRun.of("sample", "--policy", "distilled:" + out, "--prompt", "a star", "--steps", "4",
                "--out", sampled.toString()).code());
        JsonObject t = JsonParser.parseString(Files.readString(sampled.resolve("trajectory.json"))).getAsJsonObject();
        JsonArray steps = t.getAsJsonArray("samples").get(0).getAsJsonObject().getAsJsonArray("steps");
        for (JsonElement e : steps.asList().subList(1, steps.size())) {
            assertEquals(0.5 + DEVIATION, e.getAsJsonObject().get("r").getAsDouble(), 1e-6);
        }
        CliRun.of("sample", "--policy", "distilled:" + out, "--prompt", "a star", "--steps", "5", "--out",
                dir.resolve("never").toString()).assertBadInput(dir.resolve("never"), "was distilled at [3, 4] steps "
                + "and cannot sample at 5");
    }

    @ParameterizedTest(name = "{0} {1}")
    @CsvSource({
            "--steps, '3,1', --steps must each be at least 2",
            "--n, 0, --n must be at least 1",
            "--max-depth, 0, --max-depth must be at least 1",
            "--guidance, -1, --guidance must be a finite number >= 0",
            "--bound, wide, unknown bound",
            "--prompts, coco:train:4, outside the tiny model's vocabulary",
    })
    void anUnusableOptionIsABadInput(String option, String value, String expected) {
        Path out = dir.resolve("never");
        CliRun.of("distill", "--tpm", tpm.toString(), "--out", out.toString(), option, value)
                .assertBadInput(out, expected);
    }

    @Test
    void aFolderWithoutATpmIsABadInput() {
        Path out = dir.resolve("never");
        CliRun.of("distill", "--tpm", dir.resolve("none").toString(), "--out", out.toString())
                .assertBadInput(out, "holds no TPM");
        List<String> args = new ArrayList<>(Arrays.asList("distill", "--out", out.toString()));
        CliRun.of(args).assertBadInput(out, "--tpm");
    }
}
