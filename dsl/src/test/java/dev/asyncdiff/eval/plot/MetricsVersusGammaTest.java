package dev.asyncdiff.eval.plot;

import dev.asyncdiff.eval.ImageScore;
import org.junit.jupiter.api.Test;
import org.knowm.xchart.XYChart;
import org.knowm.xchart.XYSeries;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class MetricsVersusGammaTest {
    /** t_{0.975, 2} from a t table: three images per method give two degrees of freedom. */
    private static final double T2 = 4.302652729911275;

    private static List<ImageScore> rows(String method, double... scores) {
        List<ImageScore> out = new ArrayList<>();
        for (int i = 0; i < scores.length; i++) {
            out.add(new ImageScore("p" + i, i, 4, method, 0.1, Map.of("oracle", scores[i], "other", 1.0)));
        }
        return out;
    }

    private static List<ImageScore> comparison() {
        List<ImageScore> all = new ArrayList<>();
        all.addAll(rows("sync", 1, 2, 3));
        all.addAll(rows("fixed:0.3:gamma=2", 2, 4, 9));
        all.addAll(rows("fixed:0.3:gamma=0.5", 0, 0, 3));
        all.addAll(rows("fixed:0.3", 5, 5, 5));
        all.addAll(rows("fixed:0.3:lifted", 1, 1, 4));
        all.addAll(rows("fixed:0.2:velocity-scale", 7, 7, 7));
        return all;
    }

    /** Half-width t·s/√n with s from the sum of squared deviations worked out by hand. */
    private static double halfWidth(double sumOfSquares) {
        return T2 * Math.sqrt(sumOfSquares / 2 / 3);
    }

    @Test
    void eachDeviationHasOnePointPerGammaAtTheMeanOfItsImagesWithSyncAtGammaZero() {
        XYChart chart = MetricsVersusGamma.chart(comparison(), "oracle");
        XYSeries s = chart.getSeries("4 steps, fixed:0.3");
        assertArrayEquals(new double[] {0, 0.5, 1, 2}, s.getXData(), 0);
        assertArrayEquals(new double[] {2, 1, 5, 5}, s.getYData(), 1e-12);
        assertEquals(List.of("4 steps, fixed:0.3", "4 steps, fixed:0.3, lifted"), chart.getSeriesCollection().stream().map(XYSeries::getName).toList(),
                "velocity-scale has no γ axis and sync joins the unlifted series");
    }

    @Test
    void errorBarsAreTheHalfWidthsOfTheNinetyFivePercentIntervals() {
        XYChart chart = MetricsVersusGamma.chart(comparison(), "oracle");
        // sums of squared deviations from the means: sync (1,2,3) → 2; γ 0.5 (0,0,3) → 6; γ 1 (5,5,5) → 0; γ 2
        // (2,4,9) → 9 + 1 + 16 = 26
        assertArrayEquals(new double[] {halfWidth(2), halfWidth(6), 0, halfWidth(26)},
                chart.getSeries("4 steps, fixed:0.3").getExtraValues(), 1e-9);
        XYSeries lifted = chart.getSeries("4 steps, fixed:0.3, lifted");
        assertArrayEquals(new double[] {1}, lifted.getXData(), 0);
        assertArrayEquals(new double[] {2}, lifted.getYData(), 1e-12);
        assertArrayEquals(new double[] {halfWidth(6)}, lifted.getExtraValues(), 1e-9);
    }

    @Test
    void aComparisonAppliesOnlyWhenTwoMethodsShareTheirDeviation() {
        assertTrue(MetricsVersusGamma.applies(comparison()));
        List<ImageScore> noGamma = new ArrayList<>(rows("sync", 1, 2));
        noGamma.addAll(rows("fixed:0.3", 1, 2));
        noGamma.addAll(rows("fixed:0.2", 1, 2));
        noGamma.addAll(rows("fixed:0.3:velocity-scale", 1, 2));
        assertFalse(MetricsVersusGamma.applies(noGamma));
    }

    @Test
    void anyPolicyThatGammaScalesGetsASeriesOfItsOwn() {
        List<ImageScore> rows = new ArrayList<>(rows("sync", 1, 1, 1));
        rows.addAll(rows("timeshift", 2, 2, 2));
        rows.addAll(rows("timeshift:gamma=2", 3, 3, 3));
        rows.addAll(rows("fixed:0.3", 4, 4, 4));
        assertTrue(MetricsVersusGamma.applies(rows));
        XYChart chart = MetricsVersusGamma.chart(rows, "oracle");
        assertEquals(List.of("4 steps, timeshift", "4 steps, fixed:0.3"),
                chart.getSeriesCollection().stream().map(XYSeries::getName).toList());
        assertArrayEquals(new double[] {0, 1, 2}, chart.getSeries("4 steps, timeshift").getXData(), 0);
        assertArrayEquals(new double[] {1, 2, 3}, chart.getSeries("4 steps, timeshift").getYData(), 1e-12);
    }

    @Test
    void aRewardTheRowsDoNotHoldIsRefusedWithTheRewardsTheyDo() {
        IllegalArgumentException e = org.junit.jupiter.api.Assertions.assertThrows(IllegalArgumentException.class,
                () -> MetricsVersusGamma.chart(comparison(), "clip"));
        assertTrue(e.getMessage().contains("oracle") && e.getMessage().contains("other"), e.getMessage());
    }
}
