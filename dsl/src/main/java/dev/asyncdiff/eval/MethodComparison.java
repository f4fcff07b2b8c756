package dev.asyncdiff.eval;

import dev.asyncdiff.Generation;
import dev.asyncdiff.Pipeline;
import dev.asyncdiff.reward.CompositeReward;
import dev.asyncdiff.reward.Reward;
import dev.asyncdiff.sample.Trajectory;

import java.awt.image.BufferedImage;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Compares sampler configurations in a paired design: every method and step count samples the same prompts from
 * the same initial noises (sample i of prompt j draws its noise from (seed, j·n + i) whatever the method), and every
 * image is scored by the same rewards, so differences between methods are paired differences.
 */
public final class MethodComparison {
    /** What one (steps, method) cell produced; the trajectories hold each image's per-step deviations. */
    public record Cell(int steps, Method method, List<ImageScore> rows, List<BufferedImage> images,
                       List<Trajectory> trajectories) {
    }

    /** Told about each finished cell, e.g. to save it or show progress. */
    public interface Listener {
        void finished(Cell cell);
    }

    private MethodComparison() {
    }

    /**
     * Runs every (steps, method) cell not in {@code done} (cells are named by {@link #key}), in step-major order.
     *
     * @param base    the backbone's pipeline with the evaluation's grid, guidance, seed and batch size
     * @param prompts the prompts; {@code n} samples each
     */
    public static List<Cell> run(Pipeline base, List<String> prompts, int n, List<Integer> steps, List<Method> methods,
                                 List<Reward> rewards, java.util.Set<String> done, Listener listener) {
        if (methods.isEmpty() || steps.isEmpty() || rewards.isEmpty()) {
            throw new IllegalArgumentException("a comparison needs at least one method, step count and reward");
        }
        CompositeReward scorer = CompositeReward.of(rewards);
        List<Cell> cells = new ArrayList<>();
        for (int k : steps) {
            for (Method m : methods) {
                if (done.contains(key(k, m.spec()))) {
                    continue;
                }
                Generation g = m.applyTo(base.steps(k)).generate(prompts, n);
                if (g.images().size() != g.size()) {
                    throw new IllegalArgumentException("the backbone " + base.backbone() + " decodes no images to score");
                }
                Map<String, double[]> raw = scorer.scoreEach(g.images(), g.prompts());
                List<ImageScore> rows = new ArrayList<>(g.size());
                for (int i = 0; i < g.size(); i++) {
                    Map<String, Double> s = new LinkedHashMap<>();
                    for (Map.Entry<String, double[]> e : raw.entrySet()) {
                        s.put(e.getKey(), e.getValue()[i]);
                    }
                    rows.add(new ImageScore(g.prompts().get(i), i, k, m.spec(),
                            g.trajectories().get(i).meanDeviation(), s));
                }
                Cell cell = new Cell(k, m, rows, g.images(), g.trajectories());
                cells.add(cell);
                listener.finished(cell);
            }
        }
        return cells;
    }

    /** The name of a (steps, method) cell. */
    public static String key(int steps, String method) {
        return steps + " " + method;
    }
}
