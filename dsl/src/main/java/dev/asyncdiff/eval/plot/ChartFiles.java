package dev.asyncdiff.eval.plot;

import dev.asyncdiff.io.AtomicFiles;
import org.knowm.xchart.BitmapEncoder;
import org.knowm.xchart.VectorGraphicsEncoder;
import org.knowm.xchart.internal.chartpart.IChart;

import javax.imageio.ImageIO;
import java.awt.image.RenderedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/** A chart (or an image) as PNG and SVG bytes, and as files written atomically. */
public final class ChartFiles {
    private ChartFiles() {
    }

    /**
     * The chart as an {@code <svg>} element. XChart writes a whole document, XML declaration and DOCTYPE first;
     * nbconvert's HTML export (lxml) refuses a string with an encoding declaration and an element is what embeds in
     * HTML, so only the element is kept; it is still a valid standalone SVG file.
     */
    public static String svg(IChart chart) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try {
            VectorGraphicsEncoder.saveVectorGraphic(chart, out, VectorGraphicsEncoder.VectorGraphicsFormat.SVG);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        String document = out.toString(StandardCharsets.UTF_8);
        int svg = document.indexOf("<svg");
        if (svg < 0) {
            throw new IllegalStateException("XChart's SVG export holds no <svg> element: "
                    + document.substring(0, Math.min(200, document.length())));
        }
        return document.substring(svg);
    }

    public static byte[] png(IChart chart) {
        try {
            return BitmapEncoder.getBitmapBytes(chart, BitmapEncoder.BitmapFormat.PNG);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public static byte[] png(RenderedImage image) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try {
            ImageIO.write(image, "png", out);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out.toByteArray();
    }

    /** Writes {@code dir/name.png} and {@code dir/name.svg}, each atomically, creating {@code dir}. */
    public static void write(IChart chart, Path dir, String name) throws IOException {
        Files.createDirectories(dir);
        AtomicFiles.write(dir.resolve(name + ".png"), png(chart));
        AtomicFiles.write(dir.resolve(name + ".svg"), svg(chart).getBytes(StandardCharsets.UTF_8));
    }

    /** Writes {@code dir/name.png} atomically, creating {@code dir}. */
    public static void write(RenderedImage image, Path dir, String name) throws IOException {
        Files.createDirectories(dir);
        AtomicFiles.write(dir.resolve(name + ".png"), png(image));
    }
}
