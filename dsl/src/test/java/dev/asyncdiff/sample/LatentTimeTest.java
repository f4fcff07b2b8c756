package dev.asyncdiff.sample;

import dev.asyncdiff.Pipeline;
import dev.asyncdiff.model.Conditioning;
import dev.asyncdiff.model.FlowModel;
import dev.asyncdiff.model.Timesteps;
import dev.asyncdiff.model.gmm.GmmFlowModel;
import dev.asyncdiff.policy.Policies;
import dev.asyncdiff.policy.TimestepPolicy;
import dev.asyncdiff.schedule.UniformGrid;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The loop's time per latent position (the hook a per-position schedule such as AsynDM plugs into). */
class LatentTimeTest {

    static Stream<Arguments> solversAndPolicies() {
        List<Arguments> out = new ArrayList<>();
        for (Solver s : List.of(Solver.EULER, Solver.HEUN, Solver.DPMPP_2M)) {
            out.add(Arguments.of(s, "sync"));
            out.add(Arguments.of(s, "fixed:0.3"));
        }
        return out.stream();
    }

    /** Every position of every row on the grid, written as a per-position map. */
    static final LatentClock CONSTANT_MAP = LatentClock.ofSteps((grid, k, rows, positions) -> {
        double[][] t = new double[rows][positions];
        for (double[] row : t) {
            Arrays.fill(row, grid[k]);
        }
        return new Timesteps.PerToken(t);
    });

    @ParameterizedTest(name = "{0}, {1}")
    @MethodSource("solversAndPolicies")
    void aConstantPerPositionMapSamplesBitForBitAsThePerSampleTimeOnTheTinyModel(Solver solver, String policy) {
        List<Timesteps> seen = new ArrayList<>();
        FlowModel tiny = new SamplerTest.DelegatingModel(Pipeline.tiny().model()) {
            @Override
            public float[][] velocity(float[][] x, Timesteps t, Conditioning c) {
                seen.add(t);
                return Pipeline.tiny().model().velocity(x, t, c);
            }
        };
        double[] grid = new UniformGrid().times(3);
        List<String> prompts = List.of("a red circle left of a blue square", "two green stars");
        float[][] xInit = LoopRun.noise(2, tiny.latentSize());
        TimestepPolicy p = Policies.parse(policy);
        float[][] perSample = LoopRun.run(tiny, LoopRun.settings(grid, 5, p, solver, LatentClock.GRID), prompts,
                xInit).x();
        float[][] perPosition = LoopRun.run(tiny, LoopRun.settings(grid, 5, p, solver, CONSTANT_MAP), prompts,
                xInit).x();
        for (int i = 0; i < 2; i++) {
            assertArrayEquals(perSample[i], perPosition[i], "row " + i);
        }
        assertTrue(seen.stream().allMatch(t -> t instanceof Timesteps.PerSample),
                "a constant map reaches the model as its per-sample time");
    }

    @ParameterizedTest(name = "{0}, {1}")
    @MethodSource("solversAndPolicies")
    void eachPositionFollowsItsOwnClockWhereCoordinatesAreIndependent(Solver solver, String policy) {
        // Conditioned on one component, the mixture's coordinates evolve independently: coordinate p on its own clock
        // must end exactly where the per-sample sampler ends on that clock's grid.
        GmmFlowModel model = new GmmFlowModel(SamplerTest.SPEC);
        int positions = model.positions();
        double[] grid = new UniformGrid().times(6);
        double[][] own = new double[positions][grid.length];
        for (int p = 0; p < positions; p++) {
            for (int k = 0; k < grid.length; k++) {
                own[p][k] = Math.pow(grid[k], 1 + 0.5 * p); // 1 at k = 0, 0 at k = K, decreasing
            }
        }
        LatentClock clocks = LatentClock.ofSteps((g, k, rows, ps) -> {
            double[][] t = new double[rows][ps];
            for (double[] row : t) {
                for (int p = 0; p < ps; p++) {
                    row[p] = own[p][k];
                }
            }
            return new Timesteps.PerToken(t);
        });
        List<String> prompts = Collections.nCopies(3, "1");
        float[][] xInit = LoopRun.noise(3, positions);
        TimestepPolicy p = Policies.parse(policy);
        SampledBatch batch = LoopRun.run(model, LoopRun.settings(grid, 1, p, solver, clocks), prompts, xInit);
        for (int q = 0; q < positions; q++) {
            float[][] alone = LoopRun.run(model, LoopRun.settings(own[q], 1, p, solver, LatentClock.GRID), prompts,
                    xInit).x();
            for (int i = 0; i < 3; i++) {
                assertEquals(alone[i][q], batch.x()[i][q], 0f, "row " + i + ", position " + q);
            }
        }
        TrajectoryStep step = batch.trajectories().get(0).steps().get(2);
        assertEquals((own[0][2] + own[1][2] + own[2][2]) / 3, step.t(), 1e-15, "a trajectory records the mean time");
    }
}
