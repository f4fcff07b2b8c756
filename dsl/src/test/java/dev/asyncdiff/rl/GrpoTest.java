package dev.asyncdiff.rl;

import ai.djl.ndarray.NDManager;
import dev.asyncdiff.Generation;
import dev.asyncdiff.Pipeline;
import dev.asyncdiff.model.gmm.GmmSpec;
import dev.asyncdiff.sample.Trajectory;
import dev.asyncdiff.tpm.Tpm;
import dev.asyncdiff.tpm.TpmConfig;
import dev.asyncdiff.tpm.TpmPolicy;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class GrpoTest {
    private static final GmmSpec SPEC = new GmmSpec(new double[] {0.5, 0.5}, new double[][] {{-2, 1}, {2, -1}},
            new double[] {0.5, 0.5});

    /** A bandit-like reward: the closer a trajectory's mean deviation to +0.3, the better. */
    private static double[] preferPointThree(Generation g) {
        return g.trajectories().stream().mapToDouble(t -> -Math.abs(t.meanDeviation() - 0.3)).toArray();
    }

    @Test
    void onTheGmmGrpoMovesTheTpmTowardsTheDeviationTheRewardPrefers() {
        try (NDManager manager = NDManager.newBaseManager()) {
            Pipeline base = Pipeline.gmm(SPEC).steps(5).guidance(1);
            Tpm tpm = Tpm.initialize(manager, TpmConfig.forModel("gmm", base.model()), 3);
            TpmPolicy sampling = TpmPolicy.of(tpm, "gmm", base.model(), TpmPolicy.Choice.SAMPLE, "tpm:training");
            Grpo grpo = new Grpo(base, sampling, new Grpo.Options(8, 4, 1e-3f, 0.2, Double.POSITIVE_INFINITY, 1.0), 7);
            List<Grpo.Iteration> log = new ArrayList<>();
            for (int i = 0; i < 40; i++) {
                log.add(grpo.iteration(i, i % 2 == 0 ? "0" : "1", GrpoTest::preferPointThree));
            }
            for (Grpo.Iteration it : log) {
                assertTrue(it.ratioDevFirst() < 1e-4, "on-policy first mini-batch: |ratio − 1| = "
                        + it.ratioDevFirst() + " at iteration " + it.iteration());
            }
            TpmPolicy mode = TpmPolicy.of(tpm, "gmm", base.model(), TpmPolicy.Choice.MODE, "tpm:trained");
            double learned = base.async(mode).generate(List.of("0", "1"), 4).meanDeviation();
            double early = log.subList(0, 5).stream().mapToDouble(Grpo.Iteration::meanDeviation).average()
                    .orElseThrow();
            double late = log.subList(35, 40).stream().mapToDouble(Grpo.Iteration::meanDeviation).average()
                    .orElseThrow();
            System.out.printf("GRPO on the GMM: sampled mean deviation %.3f (iterations 0-4) -> %.3f (35-39); "
                    + "the trained TPM's mode: %.3f (target 0.3)%n", early, late, learned);
            // The reward is best at D = 0.3: the sampled deviation (the quantity GRPO optimises) moves there from
            // about 0; the mode of the now skewed Beta lies further out
            assertTrue(late > early + 0.15 && Math.abs(late - 0.3) < 0.1, "sampled deviation early " + early
                    + ", late " + late);
            assertTrue(learned > 0.1, "the trained TPM's mode deviates by " + learned + " (untrained: 0)");
        }
    }

    @Test
    void badOptionsAreRefusedWithTheirLimits() {
        assertThrows(IllegalArgumentException.class, () -> new Grpo.Options(1, 1, 1e-3f, 0.2, 1, 1));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> new Grpo.Options(16, 5, 1e-3f, 0.2, 1, 1));
        assertEquals("--minibatch must divide --group (got 5 for a group of 16)", e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> new Grpo.Options(16, 4, 0f, 0.2, 1, 1));
        assertThrows(IllegalArgumentException.class, () -> new Grpo.Options(16, 4, 1e-3f, 1.5, 1, 1));
    }
}
