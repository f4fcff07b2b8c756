package dev.asyncdiff.model.tiny;

import ai.djl.ndarray.NDManager;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ValidationTest {
    @TempDir
    Path dir;

    /**
     * A fresh second-generation DiT outputs zero velocity (its output layer starts at zero), so the loss is
     * E‖ε − x0‖²/d = 1 + E[x0²] per entry whatever t is: the same in every time bin up to sampling noise, and at
     * least 2 with the shipped autoencoder's latent scale, which makes the latents' variance 1 (E[x0²] = 1 + mean²).
     */
    @Test
    void aZeroVelocityScoresOnePlusTheLatentsSecondMomentInEveryTimeBin() throws IOException {
        try (NDManager manager = NDManager.newBaseManager()) {
            TinyNetworks nets = TinyNetworks.loadResources(manager).withFreshFlowModel(manager, 1, DiTArchitecture.V2);
            Validation v = Validation.build(manager, nets, dir, 1, new PrintStream(new ByteArrayOutputStream()));
            double[] loss = v.loss(manager, nets);
            String all = java.util.Arrays.toString(loss);
            assertTrue(loss[0] > 1.95 && loss[0] < 2.5, all);
            for (int bin = 1; bin < 4; bin++) {
                assertEquals(loss[0], loss[bin], 0.1, all);
            }
            v.measure(manager, nets, 7);
            v.measure(manager, nets, 8);
            List<String> rows = Files.readAllLines(dir.resolve("val.csv"));
            assertEquals("step,loss,loss_t_low,loss_t_mid,loss_t_high,unix_seconds", rows.get(0));
            assertEquals(3, rows.size());
            assertTrue(rows.get(1).startsWith("7," + String.format(java.util.Locale.ROOT, "%.6f", loss[0])), rows.get(1));
        }
    }
}
