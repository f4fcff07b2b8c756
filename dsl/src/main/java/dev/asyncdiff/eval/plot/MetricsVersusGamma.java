package dev.asyncdiff.eval.plot;

import dev.asyncdiff.eval.ImageScore;
import dev.asyncdiff.eval.MeanInterval;
import dev.asyncdiff.eval.Method;
import dev.asyncdiff.sample.DeviationBound;
import dev.asyncdiff.sample.SamplingMode;
import org.knowm.xchart.XYChart;
import org.knowm.xchart.XYChartBuilder;
import org.knowm.xchart.style.Styler;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Fig. 2: a reward's mean (with its 95% interval as error bars) against γ of Eq. 12, one series per step count and
 * policy (a fixed deviation D, a TPM, …), the lifted bound (Eq. 13) as a series of its own. {@code sync} is drawn at
 * γ = 0 on every unlifted series of its step count, since γ = 0 makes η = 1, the synchronous sampler. Methods in
 * velocity-scale mode have no γ axis and are left out.
 */
public final class MetricsVersusGamma {
    public static final int WIDTH = 640;
    public static final int HEIGHT = 420;

    /** One series: the methods of one step count and policy (and bound) that differ only in γ. */
    private record Series(int steps, String policy, boolean lifted) {
        String name() {
            return steps + " steps, " + policy + (lifted ? ", lifted" : "");
        }
    }

    private MetricsVersusGamma() {
    }

    /**
     * Whether the rows hold a γ comparison: at least two asynchronous methods with the same policy at the same step
     * count, which then differ only in γ or the bound.
     */
    public static boolean applies(List<ImageScore> rows) {
        Map<String, Integer> counts = new LinkedHashMap<>();
        for (Map.Entry<Integer, List<Method>> e : methodsBySteps(rows).entrySet()) {
            for (Method m : e.getValue()) {
                if (onGammaAxis(m)) {
                    counts.merge(e.getKey() + " " + m.policy(), 1, Integer::sum);
                }
            }
        }
        return counts.values().stream().anyMatch(c -> c >= 2);
    }

    /** The chart of one reward (a key of the rows' scores). */
    public static XYChart chart(List<ImageScore> rows, String reward) {
        if (rows.isEmpty() || !rows.get(0).scores().containsKey(reward)) {
            throw new IllegalArgumentException("no scores of reward '" + reward + "' to plot against γ; the rows hold "
                    + (rows.isEmpty() ? "nothing" : rows.get(0).scores().keySet()));
        }
        Map<String, List<ImageScore>> byCell = new LinkedHashMap<>();
        rows.forEach(r -> byCell.computeIfAbsent(r.steps() + " " + r.method(), k -> new ArrayList<>()).add(r));
        Map<Series, TreeMap<Double, MeanInterval>> series = new LinkedHashMap<>();
        Map<Integer, MeanInterval> sync = new LinkedHashMap<>();
        for (Map.Entry<Integer, List<Method>> e : methodsBySteps(rows).entrySet()) {
            int steps = e.getKey();
            for (Method m : e.getValue()) {
                double[] values = byCell.get(steps + " " + m.spec()).stream()
                        .mapToDouble(r -> r.scores().get(reward)).toArray();
                if (m.synchronous() && m.solver().isEmpty()) {
                    sync.put(steps, MeanInterval.of(values));
                } else if (onGammaAxis(m)) {
                    series.computeIfAbsent(new Series(steps, m.policy(), m.bound() == DeviationBound.LIFTED),
                            k -> new TreeMap<>()).put(m.gamma(), MeanInterval.of(values));
                }
            }
        }
        series.forEach((s, points) -> {
            if (!s.lifted() && sync.containsKey(s.steps())) {
                points.putIfAbsent(0.0, sync.get(s.steps()));
            }
        });
        XYChart chart = new XYChartBuilder().width(WIDTH).height(HEIGHT).title(reward + " versus γ (Eq. 12)")
                .xAxisTitle("γ (0 = sync)").yAxisTitle(reward + ", mean ± 95% CI").build();
        chart.getStyler().setLegendPosition(Styler.LegendPosition.OutsideS);
        chart.getStyler().setXAxisMin(0.0);
        series.entrySet().stream().sorted(Comparator.comparing((Map.Entry<Series, ?> e) -> e.getKey().steps()))
                .forEach(e -> {
                    List<MeanInterval> m = List.copyOf(e.getValue().values());
                    chart.addSeries(e.getKey().name(),
                            e.getValue().keySet().stream().mapToDouble(Double::doubleValue).toArray(),
                            m.stream().mapToDouble(MeanInterval::mean).toArray(),
                            // one image gives no interval: a bar of length 0 rather than none
                            m.stream().mapToDouble(i -> Double.isNaN(i.halfWidth()) ? 0 : i.halfWidth()).toArray());
                });
        return chart;
    }

    /**
     * Asynchronous conditioning by a policy other than sync, on the evaluation's solver: a method that γ scales, so
     * that along a series only γ varies.
     */
    private static boolean onGammaAxis(Method m) {
        return !m.synchronous() && m.mode() == SamplingMode.ASYNC && m.solver().isEmpty();
    }

    private static Map<Integer, List<Method>> methodsBySteps(List<ImageScore> rows) {
        Map<Integer, List<Method>> out = new LinkedHashMap<>();
        Map<String, Boolean> seen = new LinkedHashMap<>();
        for (ImageScore r : rows) {
            if (seen.putIfAbsent(r.steps() + " " + r.method(), true) == null) {
                out.computeIfAbsent(r.steps(), k -> new ArrayList<>()).add(Method.parse(r.method()));
            }
        }
        return out;
    }
}
