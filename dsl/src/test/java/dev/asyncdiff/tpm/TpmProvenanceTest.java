package dev.asyncdiff.tpm;

import ai.djl.ndarray.NDManager;
import com.google.gson.JsonObject;
import dev.asyncdiff.Pipeline;
import dev.asyncdiff.io.Stderr;
import dev.asyncdiff.model.tiny.ShippedWeightsDigest;
import dev.asyncdiff.model.tiny.WeightsIdentity;
import dev.asyncdiff.sample.DeviationBound;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** A TPM's training record in tpm.json: read back, old files without it, and what sampling does with it. */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class TpmProvenanceTest {
    private NDManager manager;
    private Pipeline tiny;

    @TempDir
    Path dir;

    @BeforeAll
    void setUp() {
        manager = NDManager.newBaseManager();
        tiny = Pipeline.tiny().steps(3);
    }

    @AfterAll
    void close() {
        manager.close();
    }

    private static TpmProvenance record(WeightsIdentity weights, DeviationBound bound) {
        JsonObject recipe = new JsonObject();
        recipe.addProperty("lr", 1e-4);
        recipe.addProperty("prompts", "shapes:all:train");
        return new TpmProvenance(weights, bound, 7, recipe);
    }

    /** An untrained TPM (r = 0.5 at every step) with the given record, saved into a new folder. */
    private Path saved(String name, TpmProvenance record) throws Exception {
        Path folder = dir.resolve(name);
        Tpm t = Tpm.initialize(manager, TpmConfig.forModel("tiny", tiny.model()), 3);
        (record == null ? t : t.withProvenance(record)).save(folder);
        return folder;
    }

    @Test
    void theShippedWeightsIdentityIsTheSha256OfTheirFile() throws Exception {
        WeightsIdentity shipped = WeightsIdentity.of(null);
        assertEquals(new WeightsIdentity("shipped", ShippedWeightsDigest.sha256()), shipped);
        assertEquals(Optional.of(shipped), ((dev.asyncdiff.model.tiny.TinyFlowModel) tiny.model()).weights());
    }

    @Test
    void aRecordIsReadBackAsWritten() throws Exception {
        TpmProvenance r = record(new WeightsIdentity("runs/x", "0123456789ab"), DeviationBound.LIFTED);
        Path folder = saved("recorded", r);
        assertEquals(Optional.of(r), Tpm.readProvenance(folder));
        assertEquals(Optional.of(r), Tpm.load(manager, folder).provenance());
        String json = Files.readString(folder.resolve("tpm.json"));
        assertTrue(json.contains("\"training\":{\"weights\":{\"source\":\"runs/x\",\"sha256\":\"0123456789ab\"},"
                + "\"bound\":\"lifted\",\"iterations\":7,\"recipe\":{\"lr\":1.0E-4,"), json);
    }

    @Test
    void aTpmJsonWithoutARecordStillLoads() throws Exception {
        Path folder = dir.resolve("old");
        Tpm t = Tpm.initialize(manager, TpmConfig.forModel("tiny", tiny.model()), 4);
        t.save(folder);
        // tpm.json as train-tpm wrote it before the record existed: the configuration alone
        Files.writeString(folder.resolve("tpm.json"), t.config().toJson() + "\n");
        Tpm back = Tpm.load(manager, folder);
        assertEquals(Optional.empty(), back.provenance());
        assertEquals(Optional.empty(), Tpm.readProvenance(folder));
        assertEquals(t.config(), back.config());
        Pipeline lifted = tiny.liftedBound();
        String warned = Stderr.during(() -> assertEquals(DeviationBound.LIFTED, lifted.async(
                TpmPolicies.resolve("tpm:" + folder, lifted, TpmPolicy.Choice.MODE)).bound()));
        assertEquals("", warned, "a TPM without a record keeps the pipeline's bound and warns about nothing");
    }

    @Test
    void aResumedRunDiffersOnlyInWhatItsSettingsChange() {
        TpmProvenance was = record(new WeightsIdentity("shipped", "0123456789ab"), DeviationBound.HALF);
        assertEquals(Optional.empty(), was.differenceFrom(was.withIterations(300)), "iterations are not settings");
        assertEquals(Optional.of("weights sha256: \"0123456789ab\", now \"ba9876543210\""), was.differenceFrom(
                record(new WeightsIdentity("shipped", "ba9876543210"), DeviationBound.HALF)));
        JsonObject faster = was.recipe();
        faster.addProperty("lr", 3e-4);
        assertEquals(Optional.of("bound: \"half\", now \"lifted\"; lr: 1.0E-4, now 3.0E-4"), was.differenceFrom(
                new TpmProvenance(was.weights(), DeviationBound.LIFTED, 7, faster)));
        assertEquals(Optional.empty(), was.differenceFrom(record(new WeightsIdentity("a/folder", "0123456789ab"),
                DeviationBound.HALF)), "the same weights from a folder are the same weights");
    }

    @Nested
    @TestInstance(TestInstance.Lifecycle.PER_CLASS)
    class TheTrainingBound {
        @Test
        void isTheBoundATpmSamplesUnderUnlessAskedOtherwise() throws Exception {
            Path folder = saved("lifted", record(WeightsIdentity.of(null), DeviationBound.LIFTED));
            TpmPolicy p = (TpmPolicy) TpmPolicies.resolve("tpm:" + folder, tiny, TpmPolicy.Choice.MODE);
            assertEquals(Optional.of(DeviationBound.LIFTED), p.trainedBound());
            assertEquals(Optional.of(DeviationBound.LIFTED), TpmPolicies.trainedBound("tpm:" + folder));
            String quiet = Stderr.during(() -> {
                assertEquals(DeviationBound.LIFTED, tiny.async(p).bound());
                assertEquals(DeviationBound.LIFTED, tiny.async(p).bound(DeviationBound.LIFTED).bound());
            });
            assertEquals("", quiet);
        }

        @Test
        void anExplicitOtherBoundIsHonouredWithOneWarningLine() throws Exception {
            Path folder = saved("lifted-then-half", record(WeightsIdentity.of(null), DeviationBound.LIFTED));
            TpmPolicy p = (TpmPolicy) TpmPolicies.resolve("tpm:" + folder, tiny, TpmPolicy.Choice.MODE);
            String warned = Stderr.during(() -> {
                assertEquals(DeviationBound.HALF, tiny.async(p).bound(DeviationBound.HALF).bound());
                tiny.async(p).bound(DeviationBound.HALF);
            });
            assertEquals("warning: policy tpm:" + folder + " was trained under the lifted bound; sampling it under "
                    + "the half bound as asked\n", warned);
        }

        @Test
        void aNonLearnedPolicyKeepsThePipelinesBound() {
            assertEquals(DeviationBound.LIFTED, tiny.liftedBound().async(dev.asyncdiff.policy.Policies.fixed(0.2))
                    .bound());
        }
    }

    @Nested
    @TestInstance(TestInstance.Lifecycle.PER_CLASS)
    class TheBaseWeights {
        @Test
        void otherRecordedWeightsGiveOneWarningLineNamingBoth() throws Exception {
            WeightsIdentity elsewhere = new WeightsIdentity("runs/old-base", "000000000000");
            Path folder = saved("other-weights", record(elsewhere, DeviationBound.HALF));
            String warned = Stderr.during(() -> {
                TpmPolicies.resolve("tpm:" + folder, tiny, TpmPolicy.Choice.MODE);
                TpmPolicies.resolve("tpm:" + folder, tiny, TpmPolicy.Choice.MODE);
            });
            assertEquals("warning: TPM tpm:" + folder + " was trained on the tiny weights runs/old-base, sha256 "
                    + "000000000000, not on these (shipped, sha256 " + ShippedWeightsDigest.sha256() + "); retrain it on "
                    + "these with train-tpm\n", warned);
        }

        @Test
        void theSameWeightsFromAnotherSourceGiveNoWarning() throws Exception {
            Path folder = saved("same-weights", record(new WeightsIdentity("a/copy/of/them", ShippedWeightsDigest.sha256()),
                    DeviationBound.HALF));
            TpmPolicy[] p = new TpmPolicy[1];
            assertEquals("", Stderr.during(() -> p[0] = (TpmPolicy) TpmPolicies.resolve("tpm:" + folder, tiny,
                    TpmPolicy.Choice.MODE)));
            // and it samples: an untrained TPM is synchronous sampling
            assertArrayEquals(tiny.generate("a star", 1).xFinal()[0], tiny.async(p[0]).generate("a star", 1)
                    .xFinal()[0]);
        }
    }
}
