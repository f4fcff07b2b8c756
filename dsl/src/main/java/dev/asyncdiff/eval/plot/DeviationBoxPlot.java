package dev.asyncdiff.eval.plot;

import dev.asyncdiff.sample.Trajectory;
import dev.asyncdiff.sample.TrajectoryStep;
import org.knowm.xchart.BoxChart;
import org.knowm.xchart.BoxChartBuilder;
import org.knowm.xchart.style.BoxStyler;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Fig. 3–4: how the deviation D_k = η_k − 1 (Eq. 10–11) is distributed over the samples at each step k ≥ 1, one box
 * per step. Step 0 is left out: it has no previous step, so η_0 = 1 by definition.
 */
public final class DeviationBoxPlot {
    public static final int WIDTH = 640;
    public static final int HEIGHT = 420;

    private DeviationBoxPlot() {
    }

    /** Per step k ≥ 1 (ascending), the deviations D_k of every trajectory that has that step, in trajectory order. */
    public static Map<Integer, double[]> byStep(List<Trajectory> trajectories) {
        Map<Integer, List<Double>> lists = new TreeMap<>();
        for (Trajectory t : trajectories) {
            for (TrajectoryStep s : t.steps()) {
                if (s.k() > 0) {
                    lists.computeIfAbsent(s.k(), k -> new ArrayList<>()).add(s.deviation());
                }
            }
        }
        Map<Integer, double[]> out = new TreeMap<>();
        lists.forEach((k, v) -> out.put(k, v.stream().mapToDouble(Double::doubleValue).toArray()));
        return out;
    }

    /**
     * Whether the deviation at some step k ≥ 1 differs between trajectories, i.e. whether a box plot shows boxes: a
     * fixed deviation is the same value for every sample, which XChart draws as nothing at all.
     */
    public static boolean varies(List<Trajectory> trajectories) {
        return byStep(trajectories).values().stream()
                .anyMatch(d -> java.util.Arrays.stream(d).anyMatch(v -> v != d[0]));
    }

    /**
     * The box plot; {@code title} names what the trajectories came from (method, step count). Quartiles are
     * interpolated linearly between order statistics at position (n − 1)p + 1 (XChart's N_LESS_1_PLUS_1, numpy's
     * default); whiskers reach 1.5 interquartile ranges, cut at the data's extremes.
     */
    public static BoxChart chart(List<Trajectory> trajectories, String title) {
        Map<Integer, double[]> steps = byStep(trajectories);
        if (steps.isEmpty()) {
            throw new IllegalArgumentException("no steps k ≥ 1 to plot deviations of (" + trajectories.size()
                    + " trajectories); sample with at least 2 steps");
        }
        BoxChart chart = new BoxChartBuilder().width(WIDTH).height(HEIGHT)
                .title("Per-step deviation, " + title).xAxisTitle("step k").yAxisTitle("D_k = η_k − 1").build();
        chart.getStyler().setBoxplotCalCulationMethod(BoxStyler.BoxplotCalCulationMethod.N_LESS_1_PLUS_1);
        chart.getStyler().setLegendVisible(false);
        steps.forEach((k, d) -> chart.addSeries(String.valueOf(k), d));
        // a margin of 5% of the range (at least 0.01) on both sides, so that boxes at a bound do not vanish into the frame
        double lo = steps.values().stream().flatMapToDouble(java.util.Arrays::stream).min().orElseThrow();
        double hi = steps.values().stream().flatMapToDouble(java.util.Arrays::stream).max().orElseThrow();
        double pad = Math.max(0.05 * (hi - lo), 0.01);
        chart.getStyler().setYAxisMin(lo - pad).setYAxisMax(hi + pad);
        return chart;
    }
}
