package dev.asyncdiff.tpm;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import com.google.gson.JsonObject;
import dev.asyncdiff.Pipeline;
import dev.asyncdiff.model.tiny.ShippedWeightsDigest;
import dev.asyncdiff.model.tiny.WeightsIdentity;
import dev.asyncdiff.sample.DeviationBound;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import java.net.URL;
import java.net.URLClassLoader;
import java.nio.file.Path;
import java.util.Optional;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** {@code tpm:shipped} and {@code tpm:shipped-lifted}: what the build ships, and how the specs resolve. */
class ShippedTpmTest {
    @TempDir
    Path dir;

    /**
     * The guard against shipping new base weights without retraining the TPMs. While the build ships no TPM of a
     * variant (neither file under dev/asyncdiff/tpm/NAME/), this test is skipped for that variant, saying so; as soon
     * as either file is there it runs and fails unless both are, the TPM's record names the bound of its variant,
     * and the base weights it was trained on are the shipped ones (SHA-256 of the shipped tiny.safetensors, computed
     * here from the resource).
     */
    @ParameterizedTest(name = "{0}")
    @EnumSource(ShippedTpm.class)
    void aShippedTpmWasTrainedOnTheShippedBaseWeightsUnderItsBound(ShippedTpm s) throws Exception {
        ClassLoader build = ShippedTpm.classpath();
        boolean weights = build.getResource(ShippedTpm.ROOT + s.name + "/tpm.safetensors") != null;
        boolean config = build.getResource(ShippedTpm.ROOT + s.name + "/tpm.json") != null;
        Assumptions.assumeTrue(weights || config, "this build ships no " + s.spec() + " yet: nothing to check");
        assertTrue(weights && config, s.spec() + " is shipped incompletely: tpm.safetensors " + weights
                + ", tpm.json " + config);
        TpmProvenance record = s.provenance(build).orElseThrow(() -> new AssertionError(s.spec()
                + " has no training record in its tpm.json: train it with training/tpm.sh"));
        assertEquals(s.bound, record.bound(), s.spec() + " was trained under the wrong bound");
        assertEquals(ShippedWeightsDigest.sha256(), record.weightsIdentity().orElseThrow().sha256(),
                s.spec() + " was trained on other base weights than the shipped ones (" + record.weights()
                        + "): retrain it with training/tpm.sh run " + s.variant);
        assertTrue(record.iterations() > 0, s.spec() + " was never trained");
        TpmPolicy.of(s.load(build), "tiny", Pipeline.tiny().model(), TpmPolicy.Choice.MODE, s.spec());
    }

    @Test
    void aBuildWithoutThemNamesTheCommandThatTrainsEach() {
        ClassLoader empty = new URLClassLoader(new URL[0], null);
        for (ShippedTpm s : ShippedTpm.values()) {
            assertFalse(s.isShipped(empty));
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                    () -> TpmPolicies.check(s.spec(), empty));
            assertEquals("policy '" + s.spec() + "': this build ships no trained TPM yet; train and ship it with: "
                    + "training/tpm.sh run " + s.variant + " (then training/tpm.sh ship " + s.variant + ")",
                    e.getMessage());
            assertThrows(IllegalArgumentException.class, () -> TpmPolicies.resolve(s.spec(), Pipeline.tiny(),
                    TpmPolicy.Choice.MODE, empty));
        }
        assertEquals(Optional.of(ShippedTpm.LIFTED), ShippedTpm.named("shipped-lifted"));
        assertEquals(Optional.empty(), ShippedTpm.named("./shipped"), "a folder named shipped is ./shipped");
    }

    @Test
    void aShippedTpmResolvesFromItsClasspathFolder() throws Exception {
        Pipeline tiny = Pipeline.tiny().steps(3);
        Path root = dir.resolve("classes");
        Tpm written;
        try (NDManager m = NDManager.newBaseManager()) {
            written = Tpm.initialize(m, TpmConfig.forModel("tiny", tiny.model()), 11)
                    .withProvenance(new TpmProvenance(WeightsIdentity.of(null), DeviationBound.LIFTED, 5,
                            new JsonObject()));
            written.save(root.resolve(ShippedTpm.ROOT + "shipped-lifted"));
            float[] expected = written.params().get("head.fc.w").toFloatArray();
            try (URLClassLoader loader = new URLClassLoader(new URL[] {root.toUri().toURL()}, null)) {
                assertTrue(ShippedTpm.LIFTED.isShipped(loader));
                assertFalse(ShippedTpm.BOUNDED.isShipped(loader));
                TpmPolicy p = (TpmPolicy) TpmPolicies.resolve("tpm:shipped-lifted", tiny, TpmPolicy.Choice.MODE,
                        loader);
                assertEquals("tpm:shipped-lifted", p.spec());
                NDArray read = p.tpm().params().get("head.fc.w");
                assertArrayEquals(expected, read.toFloatArray());
                assertEquals(Optional.of(DeviationBound.LIFTED), p.trainedBound());
                assertEquals(DeviationBound.LIFTED, tiny.async(p).bound());
                assertEquals(5, ShippedTpm.LIFTED.provenance(loader).orElseThrow().iterations());
            }
        }
    }
}
