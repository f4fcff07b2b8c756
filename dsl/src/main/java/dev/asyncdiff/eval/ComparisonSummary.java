package dev.asyncdiff.eval;

import tech.tablesaw.api.IntColumn;
import tech.tablesaw.api.StringColumn;
import tech.tablesaw.api.Table;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The layout of the paper's Tables 1–2: one row per step count and method; per reward its mean with a 95% confidence
 * interval, then the mean deviation, then each reward's paired difference from the first method at the same step
 * count (same prompts and noises) with its interval.
 */
public final class ComparisonSummary {
    /** One row: the intervals per reward (and of the paired differences, absent for the first method). */
    public record Row(int steps, String method, Map<String, MeanInterval> rewards, MeanInterval deviation,
                      Map<String, MeanInterval> differences) {
    }

    private final String title;
    private final List<String> rewards;
    private final List<Row> rows;

    private ComparisonSummary(String title, List<String> rewards, List<Row> rows) {
        this.title = title;
        this.rewards = rewards;
        this.rows = rows;
    }

    /** Summarises image rows; methods keep the order in which they first appear, the first being the baseline. */
    public static ComparisonSummary of(String title, List<ImageScore> images) {
        if (images.isEmpty()) {
            throw new IllegalArgumentException("nothing to summarise: no scored images");
        }
        List<String> rewards = List.copyOf(images.get(0).scores().keySet());
        Map<Integer, Map<String, List<ImageScore>>> cells = new LinkedHashMap<>();
        for (ImageScore s : images) {
            cells.computeIfAbsent(s.steps(), k -> new LinkedHashMap<>())
                    .computeIfAbsent(s.method(), k -> new ArrayList<>()).add(s);
        }
        List<Row> rows = new ArrayList<>();
        cells.forEach((steps, byMethod) -> {
            List<ImageScore> baseline = null;
            for (Map.Entry<String, List<ImageScore>> e : byMethod.entrySet()) {
                List<ImageScore> cell = sorted(e.getValue());
                Map<String, MeanInterval> means = new LinkedHashMap<>();
                Map<String, MeanInterval> diffs = new LinkedHashMap<>();
                for (String r : rewards) {
                    means.put(r, MeanInterval.of(values(cell, r)));
                    if (baseline != null) {
                        checkPaired(baseline, cell, steps, e.getKey());
                        diffs.put(r, MeanInterval.ofDifferences(values(cell, r), values(baseline, r)));
                    }
                }
                MeanInterval d = MeanInterval.of(cell.stream().mapToDouble(ImageScore::meanDeviation).toArray());
                rows.add(new Row(steps, e.getKey(), means, d, diffs));
                if (baseline == null) {
                    baseline = cell;
                }
            }
        });
        return new ComparisonSummary(title, rewards, rows);
    }

    public List<Row> rows() {
        return rows;
    }

    public List<String> rewards() {
        return rewards;
    }

    /** The summary as a Tablesaw table (intervals as "mean ± half-width" text), for notebooks and CSV. */
    public Table toTable() {
        Table t = Table.create(title, IntColumn.create("steps", rows.stream().mapToInt(Row::steps).toArray()),
                StringColumn.create("method", rows.stream().map(Row::method).toList()));
        for (String r : rewards) {
            t.addColumns(StringColumn.create(r, rows.stream().map(x -> x.rewards().get(r).format(4)).toList()));
        }
        t.addColumns(StringColumn.create("mean deviation", rows.stream().map(x -> x.deviation().format(3)).toList()));
        for (String r : rewards) {
            t.addColumns(StringColumn.create("Δ " + r, rows.stream()
                    .map(x -> x.differences().containsKey(r) ? x.differences().get(r).format(4) : "").toList()));
        }
        return t;
    }

    /** Markdown; per step count and reward the best mean in bold, the second best in italics. */
    public String toMarkdown() {
        StringBuilder sb = new StringBuilder("| ").append(String.join(" | ", header())).append(" |\n|---:|---|")
                .append("---:|".repeat(2 * rewards.size() + 1)).append('\n');
        for (Row row : rows) {
            sb.append("| ").append(String.join(" | ", cells(row, "**", "_"))).append(" |\n");
        }
        return sb.toString();
    }

    /** A standalone HTML table; best per step count and reward in bold, second best underlined. */
    public String toHtml() {
        StringBuilder sb = new StringBuilder("<table class=\"asyncdiff-summary\">\n<caption>")
                .append(escape(title)).append("</caption>\n<thead><tr>");
        header().forEach(h -> sb.append("<th>").append(escape(h)).append("</th>"));
        sb.append("</tr></thead>\n<tbody>\n");
        for (Row row : rows) {
            sb.append("<tr>");
            cells(row, "<b>", "<u>").forEach(c -> sb.append("<td>").append(c).append("</td>"));
            sb.append("</tr>\n");
        }
        return sb.append("</tbody>\n</table>\n").toString();
    }

    private List<String> header() {
        List<String> h = new ArrayList<>(List.of("steps", "method"));
        h.addAll(rewards);
        h.add("mean deviation");
        rewards.forEach(r -> h.add("Δ " + r));
        return h;
    }

    /** A row's cells; the method name escaped for HTML only when the markers are HTML tags. */
    private List<String> cells(Row row, String best, String second) {
        List<String> c = new ArrayList<>(List.of(String.valueOf(row.steps()),
                best.startsWith("<") ? escape(row.method()) : row.method()));
        rewards.forEach(r -> c.add(mark(row, r, best, second)));
        c.add(row.deviation().format(3));
        rewards.forEach(r -> c.add(row.differences().containsKey(r) ? row.differences().get(r).format(4) : "—"));
        return c;
    }

    /** The cell text, wrapped in the first marker when it is the best of its step count, the second when second. */
    private String mark(Row row, String reward, String best, String second) {
        List<Double> means = rows.stream().filter(x -> x.steps() == row.steps())
                .map(x -> x.rewards().get(reward).mean()).sorted(java.util.Comparator.reverseOrder()).toList();
        String text = row.rewards().get(reward).format(4);
        double m = row.rewards().get(reward).mean();
        if (means.size() > 1 && m == means.get(0)) {
            return best + text + close(best);
        }
        if (means.size() > 2 && m == means.get(1) && m != means.get(0)) {
            return second + text + close(second);
        }
        return text;
    }

    private static String close(String open) {
        return open.startsWith("<") ? "</" + open.substring(1) : open;
    }

    private static String escape(String s) {
        return s.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;");
    }

    private static List<ImageScore> sorted(List<ImageScore> cell) {
        List<ImageScore> out = new ArrayList<>(cell);
        out.sort(java.util.Comparator.comparingInt(ImageScore::sample));
        return out;
    }

    private static double[] values(List<ImageScore> cell, String reward) {
        return cell.stream().mapToDouble(s -> s.scores().get(reward)).toArray();
    }

    private static void checkPaired(List<ImageScore> a, List<ImageScore> b, int steps, String method) {
        boolean same = a.size() == b.size();
        for (int i = 0; same && i < a.size(); i++) {
            same = a.get(i).sample() == b.get(i).sample() && a.get(i).prompt().equals(b.get(i).prompt());
        }
        if (!same) {
            throw new IllegalArgumentException("method " + method + " at " + steps + " steps did not score the same "
                    + "prompts and samples as the first method; differences must be paired");
        }
    }

    @Override
    public String toString() {
        return toMarkdown();
    }
}
