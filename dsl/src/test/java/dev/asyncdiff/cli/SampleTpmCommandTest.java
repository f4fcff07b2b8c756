package dev.asyncdiff.cli;

import ai.djl.ndarray.NDManager;
import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import dev.asyncdiff.Pipeline;
import dev.asyncdiff.io.Stderr;
import dev.asyncdiff.model.tiny.WeightsIdentity;
import dev.asyncdiff.sample.DeviationBound;
import dev.asyncdiff.tpm.ShippedTpm;
import dev.asyncdiff.tpm.Tpm;
import dev.asyncdiff.tpm.TpmConfig;
import dev.asyncdiff.tpm.TpmProvenance;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import java.nio.file.Files;
import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * `sample --policy tpm:PATH [--stochastic]`: the TPM's Beta recorded per step in trajectory.json; the bound a TPM was
 * trained under; `tpm:shipped` and `tpm:shipped-lifted`.
 */
class SampleTpmCommandTest {
    @TempDir
    Path dir;
    private Path tpm;

    @BeforeEach
    void untrainedTpm() throws Exception {
        tpm = dir.resolve("tpm");
        try (NDManager m = NDManager.newBaseManager()) {
            Tpm.initialize(m, TpmConfig.forModel("tiny", Pipeline.tiny().model()), 1).save(tpm);
        }
    }

    private JsonArray steps(Path out) throws Exception {
        JsonObject t = JsonParser.parseString(Files.readString(out.resolve("trajectory.json"))).getAsJsonObject();
        return t.getAsJsonArray("samples").get(0).getAsJsonObject().getAsJsonArray("steps");
    }

    @Test
    void anUntrainedTpmRecordsBeta22AndTheLogDensityOfItsMode() throws Exception {
        Path out = dir.resolve("mode");
        assertEquals(0, CliRun.of("sample", "--backbone", "tiny", "--policy", "tpm:" + tpm, "--prompt", "a star",
                "--n", "1", "--steps", "3", "--out", out.toString()).code());
        JsonArray steps = steps(out);
        JsonObject first = steps.get(0).getAsJsonObject();
        assertTrue(first.get("alpha").isJsonNull() && first.get("logprob").isJsonNull(), "k = 0 has no decision");
        for (JsonElement e : steps.asList().subList(1, steps.size())) {
            JsonObject s = e.getAsJsonObject();
            assertEquals(2.0, s.get("alpha").getAsDouble(), 1e-6);
            assertEquals(2.0, s.get("beta").getAsDouble(), 1e-6);
            assertEquals(0.5, s.get("r").getAsDouble(), 1e-12);
            assertEquals(Math.log(1.5), s.get("logprob").getAsDouble(), 1e-6); // Beta(2, 2) density 6·r·(1 − r)
        }
    }

    @Test
    void stochasticSamplingDrawsRAndRecordsItsLogDensity() throws Exception {
        Path out = dir.resolve("stochastic");
        assertEquals(0, CliRun.of("sample", "--backbone", "tiny", "--policy", "tpm:" + tpm, "--stochastic",
                "--prompt", "a star", "--n", "1", "--steps", "3", "--out", out.toString()).code());
        JsonObject s = steps(out).get(1).getAsJsonObject();
        double r = s.get("r").getAsDouble();
        assertNotEquals(0.5, r);
        assertEquals(Math.log(6 * r * (1 - r)), s.get("logprob").getAsDouble(), 1e-6);
    }

    @Test
    void aPolicyWithoutADistributionRecordsNulls() throws Exception {
        Path out = dir.resolve("sync");
        assertEquals(0, CliRun.of("sample", "--backbone", "tiny", "--prompt", "a star", "--n", "1", "--steps", "2",
                "--out", out.toString()).code());
        JsonObject s = steps(out).get(1).getAsJsonObject();
        assertTrue(s.get("alpha").isJsonNull() && s.get("beta").isJsonNull() && s.get("logprob").isJsonNull());
    }

    private static String bound(Path out) throws Exception {
        JsonObject t = JsonParser.parseString(Files.readString(out.resolve("trajectory.json"))).getAsJsonObject();
        return t.getAsJsonObject("config").get("bound").getAsString();
    }

    @Test
    void aTpmSamplesUnderTheBoundItWasTrainedUnderUnlessToldOtherwiseWithAWarning() throws Exception {
        Path lifted = dir.resolve("lifted-tpm");
        try (NDManager m = NDManager.newBaseManager()) {
            Tpm.initialize(m, TpmConfig.forModel("tiny", Pipeline.tiny().model()), 2)
                    .withProvenance(new TpmProvenance(WeightsIdentity.of(null), DeviationBound.LIFTED, 1,
                            new com.google.gson.JsonObject())).save(lifted);
        }
        Path trained = dir.resolve("as-trained");
        String quiet = Stderr.during(() -> assertEquals(0, CliRun.of("sample", "--policy", "tpm:" + lifted,
                "--prompt", "a star", "--n", "1", "--steps", "2", "--out", trained.toString()).code()));
        assertEquals("lifted", bound(trained));
        assertTrue(!quiet.contains("warning"), quiet);
        Path half = dir.resolve("half");
        String warned = Stderr.during(() -> assertEquals(0, CliRun.of("sample", "--policy", "tpm:" + lifted,
                "--bound", "half", "--prompt", "a star", "--n", "1", "--steps", "2", "--out", half.toString()).code()));
        assertEquals("half", bound(half));
        assertEquals(1, warned.lines().filter(l -> l.startsWith("warning: ")).count(), warned);
        assertTrue(warned.contains("warning: policy tpm:" + lifted + " was trained under the lifted bound; sampling it "
                + "under the half bound as asked"), warned);
    }

    /** Either branch can fail: a shipped TPM must sample under its bound, a missing one must say how to train it. */
    @ParameterizedTest(name = "{0}")
    @EnumSource(ShippedTpm.class)
    void aShippedTpmSamplesOrIsOneLineNamingTheCommandThatTrainsIt(ShippedTpm s) throws Exception {
        Path out = dir.resolve(s.name);
        CliRun r = CliRun.of("sample", "--policy", s.spec(), "--prompt", "a star", "--n", "1", "--steps", "2",
                "--out", out.toString());
        Path compared = dir.resolve(s.name + "-eval");
        CliRun e = CliRun.of("eval", "--methods", "sync," + s.spec(), "--prompts", "shapes:colour:val:1", "--steps",
                "2", "--rewards", "hf-noise", "--out", compared.toString());
        if (s.isShipped(ShippedTpm.classpath())) {
            assertEquals(0, r.code(), r.err());
            assertEquals(s.bound.cliName, bound(out));
            assertEquals(0, e.code(), e.err());
        } else {
            r.assertBadInput(out, "this build ships no trained TPM yet", "training/tpm.sh run " + s.variant);
            e.assertBadInput(compared, "this build ships no trained TPM yet", "training/tpm.sh run " + s.variant);
        }
    }

    @Test
    void stochasticWithoutATpmIsABadInput() {
        Path out = dir.resolve("never");
        CliRun.of("sample", "--backbone", "tiny", "--prompt", "a star", "--stochastic", "--out", out.toString())
                .assertBadInput(out, "--stochastic draws r from a TPM's distribution");
    }
}
