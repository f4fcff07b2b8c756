package dev.asyncdiff.bench;

import ai.djl.ndarray.NDManager;
import dev.asyncdiff.Pipeline;
import dev.asyncdiff.model.gmm.GmmSpec;
import dev.asyncdiff.tpm.Tpm;
import dev.asyncdiff.tpm.TpmConfig;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;

class FlopCountTest {
    @Test
    void theTpmCountMatchesAHandComputationOfTheDocumentedFormula() {
        // P = 2 positions of E = 1 entry, no text, w = 4, one layer, one read-out: N = 1 + 2 + 3 = 6 tokens
        TpmConfig c = new TpmConfig("toy", new int[] {2}, 2, 0, 0, 4, 1, 1, 1);
        double latent = 2 * 2 * 3 * 4;                  // 2·P·3E·w
        double time = 2 * 3 * 64 * 4;                   // 2·3·F·w
        double layer = 24 * 6 * 16 + 4 * 36 * 4;        // 24·N·w² + 4·N²·w
        double head = 2 * 4 * 4 + 2 * 4 * 2;            // 2·R·w·w + 2·w·2
        assertEquals(latent + time + layer + head, FlopCount.tpm(c).flops());
    }

    @Test
    void theTpmParameterCountIsTheRealTpms() {
        GmmSpec spec = new GmmSpec(new double[] {1}, new double[][] {{0, 0}}, new double[] {1});
        try (NDManager m = NDManager.newBaseManager()) {
            for (Pipeline p : new Pipeline[] {Pipeline.tiny(), Pipeline.gmm(spec)}) {
                TpmConfig c = TpmConfig.forModel(p.backbone(), p.model());
                assertEquals(Tpm.initialize(m, c, 1).params().count(), FlopCount.tpm(c).parameters(), p.backbone());
            }
        }
    }

    @Test
    void theFluxLayerListHoldsFluxDevsPublishedParameterCount() {
        // Flux.1-dev's transformer: about 11.9 B parameters (norm weights, which hold no FLOPs, are left out here)
        assertEquals(11.9e9, FlopCount.flux(FlopCount.FluxShape.AT_512).parameters(), 0.01 * 11.9e9);
    }
}
