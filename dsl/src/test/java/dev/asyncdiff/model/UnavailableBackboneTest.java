package dev.asyncdiff.model;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;

class UnavailableBackboneTest {

    @Test
    void aPositionIsOneImageTokenOfTwoByTwoLatentCells() {
        UnavailableBackbone b = new UnavailableBackbone("flux.1-dev", new int[] {16, 64, 64}, 2);
        assertEquals(1024, b.positions());
        int[] tokenCells = new int[b.positions()];
        for (int i = 0; i < b.latentSize(); i++) {
            tokenCells[b.positionOf(i)]++;
        }
        for (int cells : tokenCells) {
            assertEquals(16 * 2 * 2, cells); // every channel of a 2×2 patch
        }
        // channel 3, row 5, column 7 lies in patch row 2, patch column 3 of a 32-wide token grid
        assertEquals(2 * 32 + 3, b.positionOf(3 * 64 * 64 + 5 * 64 + 7));
    }
}
