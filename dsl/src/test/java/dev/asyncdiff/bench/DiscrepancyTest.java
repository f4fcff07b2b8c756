package dev.asyncdiff.bench;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class DiscrepancyTest {
    @Test
    void relativeErrorsAreTakenAgainstTheLargestReferenceAndAgainstEachFlooredEntry() {
        Discrepancy d = Discrepancy.between(new float[] {2.5f, -1.0f, 0.0005f}, new float[] {2.0f, -1.0f, 0.0f});
        assertEquals(0.5, d.maxAbs(), 1e-12);
        assertEquals(0.25, d.maxRel(), 1e-12);                     // 0.5 / max|b| = 0.5 / 2
        assertEquals(0.5, d.maxElementRel(), 1e-6);                // the last entry: 0.0005 / floor 0.001
    }

    @Test
    void aNonFiniteEntryNeverPasses() {
        Discrepancy d = Discrepancy.between(new float[] {Float.NaN, 1f}, new float[] {1f, 1f});
        assertTrue(Double.isNaN(d.maxRel()) && Double.isNaN(d.maxAbs()));
    }
}
