package dev.asyncdiff.sample;

import dev.asyncdiff.model.Conditioning;
import dev.asyncdiff.model.FlowModel;
import dev.asyncdiff.model.Latents;
import dev.asyncdiff.model.Timesteps;

import java.util.List;

/**
 * Where each latent position's time t_k(i, p) is at step k: the time the latent is at, which the solvers integrate
 * over, not the time the model is conditioned at. Standard sampling keeps every position on the grid; a per-position
 * schedule (AsynDM) moves positions on clocks of their own, may look at the latent to do so (masks from attention),
 * and must end every position where the grid ends. The loop starts one {@link Run} per batch and advances it step by
 * step.
 */
@FunctionalInterface
public interface LatentClock {
    /** Every position on the grid: one time per sample. */
    LatentClock GRID = ofSteps((grid, k, rows, positions) -> {
        double[] t = new double[rows];
        java.util.Arrays.fill(t, grid[k]);
        return new Timesteps.PerSample(t);
    });

    /**
     * What a clock may look at for one batch.
     *
     * @param cond   the rows' (conditional) text condition
     * @param guided the guided velocity the loop samples with and the conditional rows' attention of the same pass
     *               (null attention for a backbone without maps), for a clock that runs a pass of its own; its
     *               evaluations are not recorded in the trajectories
     */
    record Batch(FlowModel model, double[] grid, int rows, int positions, Conditioning cond, List<String> prompts,
                 GuidedPass guided) {
    }

    /** A guided evaluation of a native batch [B, D] with the attention of its forward pass. */
    @FunctionalInterface
    interface GuidedPass {
        dev.asyncdiff.model.AttentionMaps.NativePass at(ai.djl.ndarray.NDArray x, Timesteps t);
    }

    /** One batch's clock. */
    interface Run {
        /** The latent's times at step 0. */
        Timesteps initial();

        /** The latent's times at step k + 1, knowing the latent x_k and its times t_k. */
        Timesteps next(int k, Latents x, Timesteps t);

        /**
         * Whether the clock reads the attention of each step's first model evaluation ({@link #observe}); the loop then
         * asks the backbone for it in the same forward pass.
         */
        default boolean observesAttention() {
            return false;
        }

        /** The attention [block][row][position][token] of step k's first evaluation, conditional rows only. */
        default void observe(int k, float[][][][] attention) {
        }

        /**
         * Which positions of row i took the slower schedule in the last {@link #next} (AsynDM's mask), or null for a
         * clock without one.
         */
        default boolean[] related(int row) {
            return null;
        }
    }

    /** Starts the clock of one batch. */
    Run start(Batch batch);

    /** A map of times that depends only on the step, the same for any latent. */
    @FunctionalInterface
    interface StepMap {
        Timesteps at(double[] grid, int k, int rows, int positions);
    }

    /** The clock that reads its times from a step map. */
    static LatentClock ofSteps(StepMap map) {
        return b -> new Run() {
            @Override
            public Timesteps initial() {
                return map.at(b.grid(), 0, b.rows(), b.positions());
            }

            @Override
            public Timesteps next(int k, Latents x, Timesteps t) {
                return map.at(b.grid(), k + 1, b.rows(), b.positions());
            }
        };
    }
}
