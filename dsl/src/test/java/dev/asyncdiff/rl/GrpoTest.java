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
            Grpo grpo = new Grpo(base, sampling, new Grpo.Options(8, 4, 1e-3f, 0.2, Double.POSITIVE_INFINITY, 1.0, 0), 7);
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

    /** The sampled mean deviation over the last 5 of {@code iterations} GRPO iterations on the GMM bandit. */
    private static double lateDeviation(Grpo.Options options, int iterations) {
        try (NDManager manager = NDManager.newBaseManager()) {
            Pipeline base = Pipeline.gmm(SPEC).steps(5).guidance(1);
            Tpm tpm = Tpm.initialize(manager, TpmConfig.forModel("gmm", base.model()), 3);
            TpmPolicy sampling = TpmPolicy.of(tpm, "gmm", base.model(), TpmPolicy.Choice.SAMPLE, "tpm:training");
            Grpo grpo = new Grpo(base, sampling, options, 7);
            double late = 0;
            for (int i = 0; i < iterations; i++) {
                Grpo.Iteration it = grpo.iteration(i, i % 2 == 0 ? "0" : "1", GrpoTest::preferPointThree);
                if (i == 0) {
                    assertEquals(0.0, it.klInit(), 1e-4, "the first mini-batch is at the initial policy");
                }
                late += i >= iterations - 5 ? it.meanDeviation() / 5 : 0;
            }
            return late;
        }
    }

    @Test
    void aKlPenaltyHoldsThePolicyNearerTheInitialOne() {
        Grpo.Options options = new Grpo.Options(8, 4, 1e-3f, 0.2, Double.POSITIVE_INFINITY, 1.0, 0);
        double beta = 5;
        // a negligible β runs the same code (reference replay, KL logged) without pulling
        double without = lateDeviation(options.withKl(1e-9), 25);
        double with = lateDeviation(options.withKl(beta), 25);
        System.out.printf("GRPO on the GMM after 25 iterations: sampled deviation %.3f without, %.3f with a KL "
                + "penalty of %s%n", without, with, beta);
        assertTrue(with < without - 0.1, "deviation " + with + " with the penalty, " + without + " without");
    }

    @Test
    void badOptionsAreRefusedWithTheirLimits() {
        assertThrows(IllegalArgumentException.class, () -> new Grpo.Options(1, 1, 1e-3f, 0.2, 1, 1, 0));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> new Grpo.Options(16, 5, 1e-3f, 0.2, 1, 1, 0));
        assertEquals("--minibatch must divide --group (got 5 for a group of 16)", e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> new Grpo.Options(16, 4, 0f, 0.2, 1, 1, 0));
        assertThrows(IllegalArgumentException.class, () -> new Grpo.Options(16, 4, 1e-3f, 1.5, 1, 1, 0));
    }
}
