package dev.asyncdiff.eval;

import dev.asyncdiff.Generation;
import dev.asyncdiff.Pipeline;
import dev.asyncdiff.reward.HighFrequencyNoise;
import dev.asyncdiff.reward.OracleReward;
import dev.asyncdiff.reward.Reward;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

class MethodComparisonTest {
    private static final List<String> PROMPTS = List.of("a red circle", "two blue squares");
    private static final List<Reward> REWARDS = List.of(OracleReward.DENSE, new HighFrequencyNoise());

    @Test
    void everyMethodScoresTheSameSamplesAndEachScoreIsTheRewardOfThatImage() {
        Pipeline base = Pipeline.tiny().seed(3).batchSize(8);
        List<Method> methods = List.of(Method.parse("sync"), Method.parse("fixed:0.3"));
        List<MethodComparison.Cell> seen = new ArrayList<>();
        List<MethodComparison.Cell> cells = MethodComparison.run(base, PROMPTS, 2, List.of(2), methods, REWARDS,
                Set.of(), seen::add);
        assertEquals(cells, seen);
        assertEquals(2, cells.size());
        for (MethodComparison.Cell c : cells) {
            assertEquals(List.of(0, 1, 2, 3), c.rows().stream().map(ImageScore::sample).toList());
            Generation direct = c.method().applyTo(base.steps(2)).generate(PROMPTS, 2);
            double[] oracle = OracleReward.DENSE.score(direct.images(), direct.prompts());
            double[] noise = new HighFrequencyNoise().score(direct.images(), List.of());
            assertArrayEquals(oracle, c.rows().stream().mapToDouble(r -> r.scores().get("oracle")).toArray());
            assertArrayEquals(noise, c.rows().stream().mapToDouble(r -> r.scores().get("hf-noise")).toArray());
        }
        assertEquals(0.0, cells.get(0).rows().get(0).meanDeviation(), 1e-12);
        assertEquals(0.3, cells.get(1).rows().get(0).meanDeviation(), 1e-9); // 2 steps: k = 1 only, unclamped
    }

    @Test
    void cellsAlreadyDoneAreSkipped() {
        List<MethodComparison.Cell> cells = MethodComparison.run(Pipeline.tiny(), PROMPTS.subList(0, 1), 1,
                List.of(1, 2), List.of(Method.parse("sync")), REWARDS, Set.of(MethodComparison.key(1, "sync")),
                c -> { });
        assertEquals(List.of(2), cells.stream().map(MethodComparison.Cell::steps).toList());
    }
}
