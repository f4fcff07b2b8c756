package dev.asyncdiff.asyndm;

import ai.djl.ndarray.NDArray;
import dev.asyncdiff.model.AttentionMaps;
import dev.asyncdiff.model.Latents;
import dev.asyncdiff.model.Timesteps;
import dev.asyncdiff.sample.LatentClock;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * AsynDM's clock for one batch: each position's remaining progress ρ (1 at the start), advanced every step on the
 * concave schedule inside the step's mask and on the linear one outside, and turned into a time on the grid
 * ({@link GridProgress}). A position on the linear schedule throughout stays on the grid bit for bit.
 */
final class AsynDmRun implements LatentClock.Run {
    private static final ProgressSchedule LINEAR = new ProgressSchedule.Linear();

    private final AsynDm settings;
    private final LatentClock.Batch batch;
    private final double[][] rho;
    /** Per row, the token index of each object; null when every position is concave. */
    private final List<List<Integer>> objects;
    private boolean[][] mask;
    /** The attention of the previous step's first evaluation (dynamic masks). */
    private float[][][][] previous;

    AsynDmRun(AsynDm settings, LatentClock.Batch batch) {
        this.settings = settings;
        this.batch = batch;
        this.rho = new double[batch.rows()][batch.positions()];
        for (double[] row : rho) {
            Arrays.fill(row, 1.0);
        }
        this.objects = settings.masks() == AsynDm.Masks.EVERYWHERE ? null : objectTokens();
    }

    private List<List<Integer>> objectTokens() {
        AttentionMaps maps = attentionMaps();
        boolean explicit = !settings.objectWords().isEmpty();
        List<List<Integer>> out = new ArrayList<>();
        for (int i = 0; i < batch.rows(); i++) {
            List<String> words = maps.tokenWords(batch.cond(), i);
            out.add(explicit ? ObjectWords.tokens(words, settings.objectWords(), true) : ObjectWords.world(words));
        }
        return out;
    }

    private AttentionMaps attentionMaps() {
        if (!(batch.model() instanceof AttentionMaps maps)) {
            throw new IllegalArgumentException("AsynDM masks come from the backbone's image→text attention, which "
                    + "this backbone does not expose; use the mask mode 'everywhere' (e.g. quadratic:0.7:everywhere)");
        }
        return maps;
    }

    @Override
    public Timesteps initial() {
        return times();
    }

    @Override
    public Timesteps next(int k, Latents x, Timesteps t) {
        if (mask == null || settings.masks() == AsynDm.Masks.DYNAMIC) {
            mask = masks(k, x, t);
        }
        int steps = batch.grid().length - 1;
        for (int i = 0; i < rho.length; i++) {
            for (int p = 0; p < rho[i].length; p++) {
                if (mask[i][p]) {
                    double background = (double) (steps - k - 1) / steps;
                    rho[i][p] = Math.min(settings.concave().next(rho[i][p], steps - k, steps),
                            background + settings.maxDisparity());
                } else {
                    rho[i][p] = LINEAR.next(rho[i][p], steps - k, steps);
                }
            }
        }
        return times();
    }

    @Override
    public boolean observesAttention() {
        return settings.masks() == AsynDm.Masks.DYNAMIC;
    }

    @Override
    public void observe(int k, float[][][][] attention) {
        previous = attention;
    }

    @Override
    public boolean[] related(int row) {
        return mask == null ? null : mask[row];
    }

    private Timesteps times() {
        double[][] t = new double[rho.length][];
        for (int i = 0; i < rho.length; i++) {
            t[i] = new double[rho[i].length];
            for (int p = 0; p < t[i].length; p++) {
                t[i][p] = GridProgress.time(batch.grid(), rho[i][p]);
            }
        }
        return new Timesteps.PerToken(t);
    }

    /**
     * This step's masks: everywhere; from the previous step's evaluation (dynamic; at k = 0 from a synchronous pass on
     * x_0, where every position is at t_0); or from a full synchronous run (fixed).
     */
    private boolean[][] masks(int k, Latents x, Timesteps t) {
        boolean[][] out = new boolean[batch.rows()][batch.positions()];
        if (settings.masks() == AsynDm.Masks.EVERYWHERE) {
            for (boolean[] row : out) {
                Arrays.fill(row, true);
            }
            return out;
        }
        float[][][][] attention = settings.masks() == AsynDm.Masks.FIXED ? synchronousRunAttention(x.array())
                : previous != null ? previous
                : attentionMaps().velocityWithAttention(x.array(), t, batch.cond()).attention();
        List<Integer> blocks = settings.blocks().isEmpty()
                ? java.util.stream.IntStream.range(0, attention.length).boxed().toList() : settings.blocks();
        for (int i = 0; i < out.length; i++) {
            float[][][] row = new float[attention.length][][];
            for (int b = 0; b < attention.length; b++) {
                row[b] = attention[b][i];
            }
            if (row[0].length != batch.positions()) {
                throw new IllegalStateException("the backbone's attention has " + row[0].length + " positions but its "
                        + "latent " + batch.positions() + "; AsynDM needs one attention row per latent position");
            }
            AttentionMask m = AttentionMask.of(row, blocks, objects.get(i), settings.threshold());
            for (int p = 0; p < out[i].length; p++) {
                out[i][p] = m.related(p);
            }
        }
        return out;
    }

    /**
     * The attention summed (as good as averaged: the threshold is relative to each token's mean) over the steps of a
     * synchronous Euler run from x_0 on the batch's grid and guidance: the
     * fixed masks' source.
     */
    private float[][][][] synchronousRunAttention(NDArray x0) {
        attentionMaps();
        double[] grid = batch.grid();
        int steps = grid.length - 1;
        int rows = (int) x0.getShape().get(0);
        NDArray x = x0;
        float[][][][] sum = null;
        for (int k = 0; k < steps; k++) {
            double[] tk = new double[rows];
            Arrays.fill(tk, grid[k]);
            AttentionMaps.NativePass pass = batch.guided().at(x, new Timesteps.PerSample(tk));
            sum = sum == null ? pass.attention() : add(sum, pass.attention());
            x = pass.velocity().mul((float) (grid[k + 1] - grid[k])).add(x); // Euler, Eq. 4
        }
        return sum;
    }

    private static float[][][][] add(float[][][][] a, float[][][][] b) {
        for (int i = 0; i < a.length; i++) {
            for (int j = 0; j < a[i].length; j++) {
                for (int p = 0; p < a[i][j].length; p++) {
                    for (int q = 0; q < a[i][j][p].length; q++) {
                        a[i][j][p][q] += b[i][j][p][q];
                    }
                }
            }
        }
        return a;
    }
}
