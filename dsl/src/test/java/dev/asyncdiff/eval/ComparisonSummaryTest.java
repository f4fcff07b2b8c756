package dev.asyncdiff.eval;

import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ComparisonSummaryTest {
    private static List<ImageScore> rows(String method, double[] a, double deviation) {
        List<ImageScore> out = new ArrayList<>();
        for (int i = 0; i < a.length; i++) {
            out.add(new ImageScore("p" + i, i, 10, method, deviation, Map.of("a", a[i])));
        }
        return out;
    }

    @Test
    void rowsHoldMeansIntervalsAndPairedDifferencesFromTheFirstMethod() {
        List<ImageScore> all = new ArrayList<>(rows("sync", new double[] {1, 2, 3}, 0));
        all.addAll(rows("fixed:0.3", new double[] {2, 2, 5}, 0.3));
        ComparisonSummary s = ComparisonSummary.of("test", all);
        assertEquals(2, s.rows().size());
        ComparisonSummary.Row sync = s.rows().get(0);
        ComparisonSummary.Row fixed = s.rows().get(1);
        assertEquals(2.0, sync.rewards().get("a").mean(), 1e-12);
        assertTrue(sync.differences().isEmpty(), "the first method is the baseline");
        assertEquals(3.0, fixed.rewards().get("a").mean(), 1e-12);
        // (2, 2, 5): mean 3, s = √3, half-width t(0.975, 2)·√3/√3 = 4.302653;
        // differences (1, 0, 2): mean 1, s = 1, half-width 4.302653/√3
        assertEquals(1.0, fixed.differences().get("a").mean(), 1e-12);
        assertEquals(4.302653 / Math.sqrt(3), fixed.differences().get("a").halfWidth(), 1e-5);
        assertEquals(0.3, fixed.deviation().mean(), 1e-12);
        String md = s.toMarkdown();
        assertTrue(md.contains("| 10 | fixed:0.3 | **3.0000 ± 4.3027** | 0.300 ± 0.000 | 1.0000 ± 2.4841 |"), md);
        assertTrue(s.toHtml().contains("<td><b>3.0000 ± 4.3027</b></td>"), s.toHtml());
        assertEquals(List.of("steps", "method", "a", "mean deviation", "Δ a"), s.toTable().columnNames());
    }

    @Test
    void methodsThatScoredOtherSamplesCannotBeCompared() {
        List<ImageScore> all = new ArrayList<>(rows("sync", new double[] {1, 2, 3}, 0));
        all.addAll(rows("fixed:0.3", new double[] {2, 2}, 0.3));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> ComparisonSummary.of("test", all));
        assertTrue(e.getMessage().contains("must be paired"), e.getMessage());
    }
}
