package dev.asyncdiff.kernel;

import org.dflib.jjava.jupyter.kernel.display.DisplayData;
import org.dflib.jjava.jupyter.kernel.display.mime.MIMEType;
import org.junit.jupiter.api.Test;
import org.knowm.xchart.XYChart;
import org.knowm.xchart.XYChartBuilder;
import org.w3c.dom.Element;
import tech.tablesaw.api.IntColumn;
import tech.tablesaw.api.Table;

import javax.imageio.ImageIO;
import javax.xml.parsers.DocumentBuilderFactory;
import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Collections;
import java.util.List;
import java.util.stream.IntStream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class RenderersTest {
    @Test
    void aGridOfMixedSizesUsesTheLargestTileEnlargedByAnIntegerFactor() {
        var small = new BufferedImage(10, 20, BufferedImage.TYPE_INT_RGB);
        var large = new BufferedImage(40, 30, BufferedImage.TYPE_INT_RGB);
        List<BufferedImage> images = new ArrayList<>(Collections.nCopies(9, small));
        images.add(large);
        BufferedImage grid = ImageGrid.of(images);
        int scale = 3; // ceil(96 / 40)
        assertEquals(8 * 40 * scale + 7 * dev.asyncdiff.eval.ImageGrid.GAP, grid.getWidth());
        assertEquals(2 * 30 * scale + dev.asyncdiff.eval.ImageGrid.GAP, grid.getHeight());
    }

    @Test
    void arraysPrintTheirValuesRoundedAndCut() {
        assertEquals("[1, 0.9, 0.3, 0]", Renderers.arrayText(new double[] {1.0, 0.9, 0.30000000000000004, 0.0}));
        String long_ = Renderers.arrayText(IntStream.range(0, 150).toArray());
        assertTrue(long_.endsWith(", 99, … (150 values)]"), long_);
    }

    @Test
    void aLongTableShowsItsFirstRowsAndSaysHowManyThereAre() {
        Table t = Table.create("t", IntColumn.create("i", IntStream.range(0, 60).toArray()));
        String html = Renderers.tableHtml(t);
        assertEquals(Renderers.MAX_TABLE_ROWS + 1, html.split("<tr>", -1).length - 1);
        assertTrue(html.contains("first 50 of 60 rows"), html);
    }

    @Test
    void aChartsSvgIsTheSvgElementAloneWithoutXmlDeclarationOrDoctype() throws Exception {
        XYChart chart = new XYChartBuilder().width(300).height(200).title("growth").build();
        chart.addSeries("line", new double[] {0, 1, 2}, new double[] {0, 1, 4});
        String svg = Renderers.chartSvg(chart);
        assertTrue(svg.startsWith("<svg"), () -> svg.substring(0, 200));
        assertFalse(svg.contains("<?xml") || svg.contains("<!DOCTYPE"), () -> svg.substring(0, 200));
        Element root = DocumentBuilderFactory.newInstance().newDocumentBuilder()
                .parse(new ByteArrayInputStream(svg.getBytes(StandardCharsets.UTF_8))).getDocumentElement();
        assertEquals("svg", root.getTagName());
        assertEquals("300px", root.getAttribute("width"));
        assertEquals("200px", root.getAttribute("height"));
    }

    @Test
    void anImageIsAPngOfItsSizeWithItsSizeAsText() throws Exception {
        DisplayData d = Renderers.create().render(new BufferedImage(64, 48, BufferedImage.TYPE_INT_RGB));
        assertEquals("image 64×48", d.getData(MIMEType.TEXT_PLAIN));
        BufferedImage png = ImageIO.read(new ByteArrayInputStream(Base64.getMimeDecoder()
                .decode((String) d.getData(MIMEType.IMAGE_PNG))));
        assertEquals(64, png.getWidth());
        assertEquals(48, png.getHeight());
    }

    @Test
    void anEvaluationSummaryShowsAsItsHtmlTableWithItsMarkdownAsText() {
        List<dev.asyncdiff.eval.ImageScore> rows = new ArrayList<>();
        for (String method : List.of("sync", "fixed:0.3")) {
            for (int i = 0; i < 3; i++) {
                rows.add(new dev.asyncdiff.eval.ImageScore("p" + i, i, 4, method, method.equals("sync") ? 0 : 0.3,
                        java.util.Map.of("oracle", i + (method.equals("sync") ? 0.0 : 1.0))));
            }
        }
        var summary = dev.asyncdiff.eval.ComparisonSummary.of("two methods", rows);
        DisplayData d = Renderers.create().render(summary);
        assertEquals(summary.toHtml(), d.getData(MIMEType.TEXT_HTML));
        assertEquals(summary.toMarkdown(), d.getData(MIMEType.TEXT_PLAIN));
        assertTrue(summary.toHtml().contains("<td>fixed:0.3</td>"), summary.toHtml());
    }
}
