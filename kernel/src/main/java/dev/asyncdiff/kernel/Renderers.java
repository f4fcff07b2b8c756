package dev.asyncdiff.kernel;

import dev.asyncdiff.Generation;
import dev.asyncdiff.eval.ComparisonSummary;
import dev.asyncdiff.eval.plot.ChartFiles;
import dev.asyncdiff.sample.Trajectory;
import dev.asyncdiff.sample.TrajectoryStep;
import org.dflib.jjava.jupyter.kernel.display.RenderContext;
import org.dflib.jjava.jupyter.kernel.display.Renderer;
import org.dflib.jjava.jupyter.kernel.display.common.Image;
import org.dflib.jjava.jupyter.kernel.display.common.Text;
import org.dflib.jjava.jupyter.kernel.display.mime.MIMEType;
import org.knowm.xchart.internal.chartpart.IChart;
import tech.tablesaw.api.Table;
import tech.tablesaw.io.html.HtmlWriteOptions;
import tech.tablesaw.io.html.HtmlWriter;

import java.awt.image.RenderedImage;
import java.io.StringWriter;
import java.lang.reflect.Array;
import java.math.BigDecimal;
import java.math.MathContext;
import java.util.Arrays;
import java.util.Base64;
import java.util.DoubleSummaryStatistics;
import java.util.List;
import java.util.Locale;

/**
 * How cell values look in a notebook. Images (BufferedImage: image/png by the protocol library, text/plain here) and
 * lists of images (one grid) as image/png; Tablesaw tables as text/html and text/plain; XChart charts as image/png and image/svg+xml (through
 * VectorGraphics2D, which the kernel jar carries); trajectories, lists of trajectories and
 * generations as HTML summaries; numeric arrays as their values rather than their identity.
 */
final class Renderers {
    /** Table rows shown in HTML; the rest is counted. */
    static final int MAX_TABLE_ROWS = 50;
    /** Trajectories listed individually in a summary. */
    static final int MAX_TRAJECTORY_ROWS = 20;
    /** Array elements printed. */
    static final int MAX_ARRAY_VALUES = 100;

    private static final MIMEType PNG = MIMEType.IMAGE_PNG;
    private static final MIMEType HTML = MIMEType.TEXT_HTML;
    private static final MIMEType TEXT = MIMEType.TEXT_PLAIN;
    private static final MIMEType SVG = MIMEType.IMAGE_SVG;

    private Renderers() {
    }

    /** A renderer with the protocol library's renderers (images, text) and these. */
    static Renderer create() {
        Renderer r = new Renderer();
        Image.registerAll(r);
        Text.registerAll(r);
        registerAll(r);
        return r;
    }

    static void registerAll(Renderer r) {
        // The protocol library renders an image as PNG only, so its text/plain was toString(), "BufferedImage@…";
        // a second function for the same type adds a text that says what the image is.
        r.createRegistration(RenderedImage.class).preferring(TEXT).register((image, ctx) ->
                ctx.renderIfRequested(TEXT, () -> imageText(image)));
        r.createRegistration(List.class).preferring(PNG, HTML).register(Renderers::list);
        r.createRegistration(Table.class).preferring(HTML, TEXT).register(Renderers::table);
        r.createRegistration(IChart.class).preferring(PNG, SVG, TEXT).register((chart, ctx) -> {
            ctx.renderIfRequested(PNG, () -> chartPng(chart));
            ctx.renderIfRequested(SVG, () -> chartSvg(chart));
            ctx.renderIfRequested(TEXT, () -> "chart \"" + chart.getTitle() + "\" (" + chart.getWidth() + "×"
                    + chart.getHeight() + ")");
        });
        r.createRegistration(Trajectory.class).preferring(HTML, TEXT).register((t, ctx) -> {
            ctx.renderIfRequested(HTML, () -> trajectoryHtml(t));
            ctx.renderIfRequested(TEXT, () -> trajectoryText(t));
        });
        r.createRegistration(Generation.class).preferring(HTML, TEXT).register((g, ctx) -> {
            ctx.renderIfRequested(HTML, () -> generationHtml(g));
            ctx.renderIfRequested(TEXT, () -> generationText(g));
        });
        // An evaluation's summary: the paper's table layout, best and second best marked, as eval writes it.
        r.createRegistration(ComparisonSummary.class).preferring(HTML, TEXT).register((s, ctx) -> {
            ctx.renderIfRequested(HTML, s::toHtml);
            ctx.renderIfRequested(TEXT, s::toMarkdown);
        });
        for (Class<?> array : List.of(double[].class, float[].class, int[].class, long[].class, double[][].class,
                float[][].class, int[][].class)) {
            r.createRegistration(array).preferring(TEXT).register((a, ctx) ->
                    ctx.renderIfRequested(TEXT, () -> arrayText(a)));
        }
    }

    private static void list(List<?> list, RenderContext ctx) {
        if (!list.isEmpty() && list.stream().allMatch(o -> o instanceof RenderedImage)) {
            @SuppressWarnings("unchecked")
            List<RenderedImage> images = (List<RenderedImage>) list;
            ctx.renderIfRequested(PNG, () -> ImageGrid.pngBase64(ImageGrid.of(images)));
            ctx.renderIfRequested(TEXT, () -> images.size() + " images");
        } else if (!list.isEmpty() && list.stream().allMatch(o -> o instanceof Trajectory)) {
            @SuppressWarnings("unchecked")
            List<Trajectory> trajectories = (List<Trajectory>) list;
            ctx.renderIfRequested(HTML, () -> trajectoriesHtml(trajectories));
            ctx.renderIfRequested(TEXT, () -> trajectoriesText(trajectories));
        }
    }

    static String imageText(RenderedImage image) {
        return "image " + image.getWidth() + "×" + image.getHeight();
    }

    private static void table(Table table, RenderContext ctx) {
        ctx.renderIfRequested(HTML, () -> tableHtml(table));
        ctx.renderIfRequested(TEXT, () -> table.print());
    }

    static String tableHtml(Table table) {
        Table shown = table.rowCount() > MAX_TABLE_ROWS ? table.first(MAX_TABLE_ROWS) : table;
        StringWriter out = new StringWriter();
        new HtmlWriter().write(shown, HtmlWriteOptions.builder(out).build());
        StringBuilder sb = new StringBuilder();
        if (table.name() != null && !table.name().isBlank()) {
            sb.append("<p><b>").append(HtmlTable.escape(table.name())).append("</b></p>");
        }
        sb.append(out);
        if (shown != table) {
            sb.append("<p>first ").append(MAX_TABLE_ROWS).append(" of ").append(table.rowCount()).append(" rows</p>");
        }
        return sb.toString();
    }

    /** The chart as an {@code <svg>} element, without the XML declaration nbconvert's HTML export refuses. */
    static String chartSvg(IChart chart) {
        return ChartFiles.svg(chart);
    }

    static String chartPng(IChart chart) {
        return Base64.getEncoder().encodeToString(ChartFiles.png(chart));
    }

    static String trajectoryHtml(Trajectory t) {
        HtmlTable table = new HtmlTable("k", "t", "t_next", "t* (t_cond)", "r", "η", "D");
        for (TrajectoryStep s : t.steps()) {
            table.row(s.k(), num(s.t()), num(s.tNext()), num(s.tCond()), s.r() == null ? "–" : num(s.r()),
                    num(s.eta()), signed(s.deviation()));
        }
        return "<p><b>" + HtmlTable.escape(trajectoryText(t)) + "</b></p>" + table.html();
    }

    static String trajectoryText(Trajectory t) {
        return "trajectory " + t.index() + ", prompt \"" + t.prompt() + "\": " + t.steps().size()
                + " steps, mean D " + signed(t.meanDeviation());
    }

    static String trajectoriesHtml(List<Trajectory> ts) {
        HtmlTable table = new HtmlTable("sample", "prompt", "steps", "mean D", "min D", "max D");
        for (Trajectory t : ts.subList(0, Math.min(ts.size(), MAX_TRAJECTORY_ROWS))) {
            DoubleSummaryStatistics d = deviations(t);
            table.row(t.index(), t.prompt(), t.steps().size(), signed(t.meanDeviation()),
                    d.getCount() == 0 ? "–" : signed(d.getMin()), d.getCount() == 0 ? "–" : signed(d.getMax()));
        }
        String more = ts.size() > MAX_TRAJECTORY_ROWS
                ? "<p>first " + MAX_TRAJECTORY_ROWS + " of " + ts.size() + " trajectories</p>" : "";
        return "<p><b>" + HtmlTable.escape(trajectoriesText(ts)) + "</b></p>" + table.html() + more;
    }

    static String trajectoriesText(List<Trajectory> ts) {
        double mean = ts.stream().mapToDouble(Trajectory::meanDeviation).average().orElse(0);
        return ts.size() + " trajectories, mean D " + signed(mean);
    }

    private static DoubleSummaryStatistics deviations(Trajectory t) {
        return t.steps().stream().filter(s -> s.k() > 0).mapToDouble(TrajectoryStep::deviation).summaryStatistics();
    }

    static String generationHtml(Generation g) {
        HtmlTable table = new HtmlTable()
                .row("samples", g.size())
                .row("prompts", String.join(" | ", g.prompts().stream().distinct().limit(8).toList())
                        + (g.prompts().stream().distinct().count() > 8 ? " | …" : ""))
                .row("steps", g.grid().length - 1)
                .row("grid t_0 … t_K", arrayText(g.grid()))
                .row("latent shape", Arrays.toString(g.latentShape()))
                .row("mean deviation D", signed(g.meanDeviation()))
                .row("stopped early", g.stopped());
        StringBuilder sb = new StringBuilder("<p><b>Generation</b></p>").append(table.html());
        if (!g.images().isEmpty()) {
            sb.append("<img src=\"data:image/png;base64,").append(ImageGrid.pngBase64(ImageGrid.of(g.images())))
                    .append("\"/>");
        }
        return sb.toString();
    }

    static String generationText(Generation g) {
        return "Generation: " + g.size() + " samples, " + (g.grid().length - 1) + " steps, mean D "
                + signed(g.meanDeviation()) + (g.images().isEmpty() ? "" : ", " + g.images().size() + " images")
                + (g.stopped() ? ", stopped early" : "");
    }

    /** An array's values, the first {@link #MAX_ARRAY_VALUES} of them (rows for 2-D arrays). */
    static String arrayText(Object a) {
        if (a instanceof Object[] rows) {
            StringBuilder sb = new StringBuilder("[");
            int shown = Math.min(rows.length, MAX_ARRAY_VALUES / 10);
            for (int i = 0; i < shown; i++) {
                sb.append(i == 0 ? "" : ",\n ").append(arrayText(rows[i]));
            }
            return sb.append(rows.length > shown ? ",\n … (" + rows.length + " rows)]" : "]").toString();
        }
        int n = Array.getLength(a);
        StringBuilder sb = new StringBuilder("[");
        for (int i = 0; i < Math.min(n, MAX_ARRAY_VALUES); i++) {
            Object v = Array.get(a, i);
            sb.append(i == 0 ? "" : ", ").append(v instanceof Double || v instanceof Float ? decimal(((Number) v)
                    .doubleValue()) : v);
        }
        return sb.append(n > MAX_ARRAY_VALUES ? ", … (" + n + " values)]" : "]").toString();
    }

    /** Six significant digits, so that a grid point 0.3 prints as 0.3 and not 0.30000000000000004. */
    static String decimal(double v) {
        if (!Double.isFinite(v)) {
            return Double.toString(v);
        }
        return new BigDecimal(v).round(new MathContext(6)).stripTrailingZeros().toPlainString();
    }

    private static String num(double v) {
        return String.format(Locale.ROOT, "%.4f", v);
    }

    private static String signed(double v) {
        return String.format(Locale.ROOT, "%+.4f", v);
    }
}
