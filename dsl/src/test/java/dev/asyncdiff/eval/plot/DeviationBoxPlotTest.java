package dev.asyncdiff.eval.plot;

import dev.asyncdiff.sample.Trajectory;
import dev.asyncdiff.sample.TrajectoryStep;
import org.junit.jupiter.api.Test;
import org.knowm.xchart.BoxChart;
import org.knowm.xchart.BoxSeries;
import org.knowm.xchart.style.BoxStyler;
import org.knowm.xchart.internal.chartpart.BoxPlotDataCalculator;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class DeviationBoxPlotTest {
    /** Four samples of three steps; D_1 and D_2 per sample, step 0 with D = 0 as the sampler records it. */
    private static List<Trajectory> trajectories(double[] d1, double[] d2) {
        List<Trajectory> out = new ArrayList<>();
        for (int i = 0; i < d1.length; i++) {
            out.add(new Trajectory(i, "p", List.of(step(0, 0), step(1, d1[i]), step(2, d2[i])), List.of()));
        }
        return out;
    }

    private static TrajectoryStep step(int k, double d) {
        return new TrajectoryStep(k, 1 - k / 3.0, 1 - (k + 1) / 3.0, 0, null, 1 + d, d, null, List.of(0.0), null);
    }

    @Test
    void stepsFromOneOnGroupEveryTrajectorysDeviation() {
        var byStep = DeviationBoxPlot.byStep(trajectories(new double[] {0.8, 0.1, 0.4, 0.2},
                new double[] {0.5, 0.5, 0.5, 0.5}));
        assertEquals(List.of(1, 2), List.copyOf(byStep.keySet()));
        assertArrayEquals(new double[] {0.8, 0.1, 0.4, 0.2}, byStep.get(1), 0);
    }

    @Test
    void theBoxesAreTheLinearlyInterpolatedQuartilesOfEachStep() throws Exception {
        BoxChart chart = DeviationBoxPlot.chart(trajectories(new double[] {0.8, 0.1, 0.4, 0.2},
                new double[] {-0.3, 0.5, 0.1, 0.3}), "test");
        // By hand, positions (n − 1)p in the sorted values: step 1 sorted 0.1 0.2 0.4 0.8 → q1 at 0.75: 0.175,
        // median at 1.5: 0.3, q3 at 2.25: 0.5; step 2 sorted −0.3 0.1 0.3 0.5 → 0, 0.2, 0.35.
        double[][] expected = {{0.175, 0.3, 0.5}, {0.0, 0.2, 0.35}};
        Map<String, BoxSeries> series = new LinkedHashMap<>();
        chart.getSeriesCollection().forEach(s -> series.put(s.getName(), s));
        List<?> boxes = new BoxPlotDataCalculator<BoxStyler, BoxSeries>().calculate(series, chart.getStyler());
        assertEquals(2, boxes.size());
        for (int k = 0; k < 2; k++) {
            assertArrayEquals(expected[k], new double[] {field(boxes.get(k), "q1"), field(boxes.get(k), "median"),
                    field(boxes.get(k), "q3")}, 1e-12, "step " + (k + 1));
        }
    }

    @Test
    void onlyDeviationsThatDifferBetweenSamplesMakeABoxPlot() {
        assertFalse(DeviationBoxPlot.varies(trajectories(new double[] {0, 0}, new double[] {0, 0})));
        assertFalse(DeviationBoxPlot.varies(trajectories(new double[] {0.3, 0.3}, new double[] {0.3, 0.3})));
        assertTrue(DeviationBoxPlot.varies(trajectories(new double[] {0, 0}, new double[] {0, 0.1})));
    }

    @Test
    void theAxisLeavesRoomBeyondTheExtremeDeviations() {
        var chart = DeviationBoxPlot.chart(trajectories(new double[] {0.5, 0.49}, new double[] {0.45, 0.5}), "t");
        double pad = Math.max(0.05 * (0.5 - 0.45), 0.01);
        assertEquals(0.45 - pad, chart.getStyler().getYAxisMin(), 1e-12);
        assertEquals(0.5 + pad, chart.getStyler().getYAxisMax(), 1e-12);
    }

    private static double field(Object box, String name) throws Exception {
        var f = box.getClass().getDeclaredField(name);
        f.setAccessible(true);
        return f.getDouble(box);
    }
}
