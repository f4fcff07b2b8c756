package dev.asyncdiff.asyndm;

import dev.asyncdiff.schedule.StaticShiftGrid;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class GridProgressTest {
    private static final double[] SHIFTED = {1.0, 0.9, 0.75, 0.5, 0.0};

    @Test
    void aPositionOnTheLinearScheduleSitsOnTheGridBitForBit() {
        double rho = 1;
        for (int k = 0; k <= 4; k++) {
            assertEquals(SHIFTED[k], GridProgress.time(SHIFTED, rho), 0.0, "node " + k);
            if (k < 4) {
                rho = new ProgressSchedule.Linear().next(rho, 4 - k, 4);
            }
        }
    }

    @Test
    void betweenNodesTheTimeIsInterpolatedLinearlyInTheIndex() {
        assertEquals(0.825, GridProgress.time(SHIFTED, 1 - 1.5 / 4), 1e-12);
        assertEquals(0.9 - 0.15 * 0.25, GridProgress.time(SHIFTED, 1 - 1.25 / 4), 1e-12);
    }

    @Test
    void timeFallsAsProgressRemainingFallsOnAShiftedGrid() {
        double[] grid = new StaticShiftGrid(3.0).times(15);
        double last = Double.POSITIVE_INFINITY;
        for (int i = 0; i <= 1000; i++) {
            double t = GridProgress.time(grid, 1 - i / 1000.0);
            assertTrue(t <= last, "monotone at " + i);
            last = t;
        }
        assertEquals(0.0, last, 0.0);
    }

    @Test
    void progressOutsideTheUnitIntervalIsRefused() {
        assertThrows(IllegalArgumentException.class, () -> GridProgress.time(SHIFTED, 1.2));
        assertThrows(IllegalArgumentException.class, () -> GridProgress.time(SHIFTED, Double.NaN));
    }
}
