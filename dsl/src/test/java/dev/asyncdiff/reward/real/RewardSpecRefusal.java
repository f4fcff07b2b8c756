package dev.asyncdiff.reward.real;

import dev.asyncdiff.reward.Rewards;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** A --rewards list refused with one line holding each expected text. */
final class RewardSpecRefusal {
    private RewardSpecRefusal() {
    }

    static void assertRefused(String spec, String... expected) {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Rewards.parse(spec));
        assertEquals(1, e.getMessage().lines().count(), e.getMessage());
        for (String x : expected) {
            assertTrue(e.getMessage().contains(x), "expected '" + x + "' in: " + e.getMessage());
        }
    }
}
