package dev.asyncdiff.kernel;

import dev.asyncdiff.rl.TrainingListener;
import org.dflib.jjava.jupyter.kernel.display.DisplayData;
import org.knowm.xchart.XYChart;
import org.knowm.xchart.XYChartBuilder;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.CancellationException;

/**
 * A live view of TPM training for a notebook, passed to {@code TpmTraining.run} as its listener: a progress line
 * with ETA and the latest group's numbers, and a chart of each reward's group mean and the sampled mean deviation
 * per iteration, both replaced in place every iteration. An interrupted cell stops training at the end of the
 * iteration (a CancellationException; the last checkpoint stays). In a script it prints one line when done.
 */
public final class TrainingDisplay implements TrainingListener {
    static final String DEVIATION = "mean deviation";

    private final List<Double> iterations = new ArrayList<>();
    private final Map<String, List<Double>> series = new LinkedHashMap<>();
    private final XYChart chart = new XYChartBuilder().width(640).height(360).title("GRPO")
            .xAxisTitle("iteration").yAxisTitle("group mean").build();
    private long start;
    private int first;
    private int total;
    private String statusId;
    private String chartId;

    TrainingDisplay() {
    }

    @Override
    public void started(int done, int total) {
        this.start = System.nanoTime();
        this.first = done;
        this.total = total;
    }

    @Override
    public void iteration(Record record) {
        if (Thread.currentThread().isInterrupted()) {
            throw new CancellationException("training interrupted after iteration " + record.grpo().iteration());
        }
        iterations.add((double) record.grpo().iteration());
        record.rewardMeans().forEach((name, mean) -> series.computeIfAbsent(name, n -> new ArrayList<>()).add(mean));
        series.computeIfAbsent(DEVIATION, n -> new ArrayList<>()).add(record.grpo().meanDeviation());
        int done = record.grpo().iteration() + 1;
        DisplaySink sink = Notebook.sink();
        if (!sink.live()) {
            if (done == total) {
                System.err.println(text(record));
            }
            return;
        }
        series.forEach((name, ys) -> {
            if (chart.getSeries(name) != null) {
                chart.updateXYSeries(name, iterations, ys, null);
            } else {
                chart.addSeries(name, new ArrayList<>(iterations), new ArrayList<>(ys));
            }
        });
        DisplayData status = new DisplayData(text(record));
        status.putHTML("<div><progress value=\"" + done + "\" max=\"" + total + "\" style=\"width:40em\"></progress> "
                + HtmlTable.escape(text(record)) + "</div>");
        if (statusId == null) {
            statusId = sink.display(status);
            chartId = sink.display(chart);
        } else {
            sink.update(statusId, status);
            sink.update(chartId, chart);
        }
    }

    /** The chart shown (each reward's group mean and the mean deviation against the iteration). */
    public XYChart chart() {
        return chart;
    }

    private String text(Record record) {
        int done = record.grpo().iteration() + 1;
        double elapsed = (System.nanoTime() - start) / 1e9;
        String time = done >= total ? String.format(Locale.ROOT, "done in %.1f s", elapsed)
                : String.format(Locale.ROOT, "%.1f s, about %.1f s left", elapsed,
                elapsed / (done - first) * (total - done));
        return String.format(Locale.ROOT, "GRPO: %d/%d iterations, %s; reward std %.3f, D %+.3f, clip %.2f",
                done, total, time, record.grpo().rewardStd(), record.grpo().meanDeviation(),
                record.grpo().clipFraction());
    }
}
