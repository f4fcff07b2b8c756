package dev.asyncdiff.tpm;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;

class TpmConfigTest {
    @Test
    void aSquareGridOfSideEightOrMoreIsCutIntoTwoByTwoPatchesAndAnythingElseKeepsOneTokenAPosition() {
        assertEquals(16, TpmConfig.tokensFor(64), "the tiny model's 8×8 positions");
        assertEquals(256, TpmConfig.tokensFor(1024), "SD3.5 at 512×512: 32×32 patch tokens");
        assertEquals(4, TpmConfig.tokensFor(4), "a GMM's coordinates");
        assertEquals(36, TpmConfig.tokensFor(36), "a 6×6 grid is too small to pool");
        assertEquals(48, TpmConfig.tokensFor(48), "not a square");
    }

    @Test
    void eachPatchTokenHoldsTheFourPositionsOfItsTwoByTwoBlock() {
        TpmConfig c = new TpmConfig("tiny", new int[] {4, 16, 16}, 16, 0, 0, 64, 4, 4, 2);
        assertEquals(1 * 4 + 2, c.tokenOf(3 * 8 + 5, 64), "row 3, column 5 → patch row 1, column 2");
        int[] count = new int[16];
        for (int p = 0; p < 64; p++) {
            int t = c.tokenOf(p, 64);
            count[t]++;
            assertEquals((p / 8) / 2, t / 4, "position " + p + " keeps its patch row");
            assertEquals((p % 8) / 2, t % 4, "position " + p + " keeps its patch column");
        }
        for (int n : count) {
            assertEquals(4, n);
        }
    }
}
