package dev.asyncdiff.eval.plot;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.knowm.xchart.XYChart;
import org.knowm.xchart.XYChartBuilder;

import javax.imageio.ImageIO;
import java.awt.image.BufferedImage;
import java.nio.file.Files;
import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ChartFilesTest {
    @TempDir
    Path dir;

    @Test
    void aChartIsWrittenAsAnSvgElementWithoutDeclarationAndAsAPngOfItsSize() throws Exception {
        XYChart chart = new XYChartBuilder().width(300).height(200).title("t").build();
        chart.addSeries("s", new double[] {0, 1}, new double[] {1, 2});
        ChartFiles.write(chart, dir.resolve("figures"), "c");
        String svg = Files.readString(dir.resolve("figures/c.svg"));
        assertTrue(svg.startsWith("<svg"), svg.substring(0, 60));
        assertTrue(svg.strip().endsWith("</svg>"));
        BufferedImage png = ImageIO.read(dir.resolve("figures/c.png").toFile());
        assertEquals(300, png.getWidth());
        assertEquals(200, png.getHeight());
    }
}
