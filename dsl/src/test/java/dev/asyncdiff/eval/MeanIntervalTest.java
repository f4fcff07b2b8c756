package dev.asyncdiff.eval;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class MeanIntervalTest {
    @Test
    void fiveValuesUseStudentsTWithFourDegreesOfFreedom() {
        MeanInterval m = MeanInterval.of(new double[] {1, 2, 3, 4, 5});
        // s = √2.5, se = √2.5/√5 = √0.5; t(0.975, 4) = 2.776445 (statistical tables)
        assertEquals(3.0, m.mean(), 1e-12);
        assertEquals(2.776445 * Math.sqrt(0.5), m.halfWidth(), 1e-5);
        assertEquals(5, m.n());
        assertEquals("3.000 ± 1.963", m.format(3));
    }

    @Test
    void pairedDifferencesGiveThePairedTInterval() {
        MeanInterval m = MeanInterval.ofDifferences(new double[] {1, 2, 3}, new double[] {0.5, 1.5, 2.0});
        // d = (0.5, 0.5, 1.0): mean 2/3, s = √(1/12), se = s/√3 = 1/6; t(0.975, 2) = 4.302653
        assertEquals(2.0 / 3, m.mean(), 1e-12);
        assertEquals(4.302653 / 6, m.halfWidth(), 1e-5);
        assertTrue(m.lower() < m.mean() && m.mean() < m.upper());
    }

    @Test
    void oneValueHasAMeanButNoInterval() {
        MeanInterval m = MeanInterval.of(new double[] {0.25});
        assertEquals(0.25, m.mean());
        assertTrue(Double.isNaN(m.halfWidth()));
    }

    @Test
    void noValuesOrUnequalPairsAreRefused() {
        assertThrows(IllegalArgumentException.class, () -> MeanInterval.of(new double[0]));
        assertThrows(IllegalArgumentException.class,
                () -> MeanInterval.ofDifferences(new double[] {1, 2}, new double[] {1}));
        assertThrows(IllegalArgumentException.class, () -> MeanInterval.of(new double[] {1, 2}, 1.0));
    }
}
