package dev.asyncdiff.rl;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class GroupAdvantagesTest {
    @Test
    void advantagesAreRewardsStandardisedWithinTheGroup() {
        GroupAdvantages a = GroupAdvantages.of(new double[] {1, 2, 3, 6}, Double.POSITIVE_INFINITY);
        // mean 3, population variance (4 + 1 + 0 + 9)/4 = 3.5
        double s = Math.sqrt(3.5);
        assertArrayEquals(new double[] {-2 / s, -1 / s, 0, 3 / s}, a.advantages(), 1e-12);
        assertFalse(a.zeroSpread());
    }

    @Test
    void aGroupWithoutSpreadHasZeroAdvantagesAndSaysSo() {
        GroupAdvantages a = GroupAdvantages.of(new double[] {0.7, 0.7, 0.7}, 5);
        assertArrayEquals(new double[3], a.advantages());
        assertTrue(a.zeroSpread());
    }

    @Test
    void advantagesAreClippedWhenAsked() {
        GroupAdvantages a = GroupAdvantages.of(new double[] {0, 0, 0, 0, 0, 0, 0, 0, 0, 10}, 2);
        assertArrayEquals(new double[] {-1 / 3.0, 2}, new double[] {a.advantages()[0], a.advantages()[9]}, 1e-12);
    }

    @Test
    void tooSmallGroupsAndNonFiniteRewardsAreRefused() {
        assertThrows(IllegalArgumentException.class, () -> GroupAdvantages.of(new double[] {1}, 1));
        assertThrows(IllegalArgumentException.class, () -> GroupAdvantages.of(new double[] {1, Double.NaN}, 1));
    }
}
