package dev.asyncdiff.cli;

import dev.asyncdiff.reward.real.RealReward;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** The help's constant list of folder rewards (annotations need a constant) is the registry's list. */
class RewardSpecsTest {
    @Test
    void theHelpNamesExactlyTheRegisteredRealRewards() {
        assertEquals(RealReward.names(), List.of(RewardSpecs.REAL.split(", ")));
    }
}
