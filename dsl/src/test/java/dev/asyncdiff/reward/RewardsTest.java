package dev.asyncdiff.reward;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class RewardsTest {
    @Test
    void namesResolveToTheRewardsInTheGivenOrder() {
        List<Reward> r = Rewards.parse("hf-noise, oracle-verdict,oracle");
        assertEquals(List.of("hf-noise", "oracle-verdict", "oracle"), r.stream().map(Reward::name).toList());
        assertEquals(OracleReward.VERDICT, r.get(1));
        assertEquals(OracleReward.DENSE, r.get(2));
    }

    @Test
    void everyKnownNameResolvesToARewardOfThatName() {
        for (String name : Rewards.names()) {
            assertEquals(name, Rewards.parse(name).get(0).name());
        }
    }

    @ParameterizedTest(name = "''{0}''")
    @CsvSource(delimiter = '#', value = {
            "oracle,clip#unknown reward 'clip'; known: oracle, oracle-verdict, hf-noise, embedded-clip, embedded-pref-a",
            "oracle,hf-noise,oracle#is named twice",
            "oracle,,hf-noise#empty reward name",
            "''#empty reward name",
    })
    void badListsAreRefusedWithTheReason(String names, String expected) {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Rewards.parse(names));
        assertTrue(e.getMessage().contains(expected), e.getMessage());
    }
}
