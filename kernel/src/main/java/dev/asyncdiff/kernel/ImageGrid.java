package dev.asyncdiff.kernel;

import javax.imageio.ImageIO;
import java.awt.Color;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.geom.AffineTransform;
import java.awt.image.BufferedImage;
import java.awt.image.RenderedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.Base64;
import java.util.List;

/** Several images as one: a grid, row-major, small images enlarged by an integer factor so that they can be seen. */
final class ImageGrid {
    static final int MAX_COLUMNS = 8;
    /** Tiles are enlarged (pixel-exact) until their longer side reaches this many pixels. */
    static final int MIN_TILE = 96;
    static final int GAP = 2;

    private ImageGrid() {
    }

    static BufferedImage of(List<? extends RenderedImage> images) {
        int columns = Math.min(images.size(), MAX_COLUMNS);
        int rows = (images.size() + columns - 1) / columns;
        int w = 0;
        int h = 0;
        for (RenderedImage im : images) {
            w = Math.max(w, im.getWidth());
            h = Math.max(h, im.getHeight());
        }
        int scale = Math.max(1, (MIN_TILE + Math.max(w, h) - 1) / Math.max(1, Math.max(w, h)));
        int tw = w * scale;
        int th = h * scale;
        BufferedImage grid = new BufferedImage(columns * tw + (columns - 1) * GAP, rows * th + (rows - 1) * GAP,
                BufferedImage.TYPE_INT_RGB);
        Graphics2D g = grid.createGraphics();
        try {
            g.setColor(Color.WHITE);
            g.fillRect(0, 0, grid.getWidth(), grid.getHeight());
            g.setRenderingHint(RenderingHints.KEY_INTERPOLATION, RenderingHints.VALUE_INTERPOLATION_NEAREST_NEIGHBOR);
            for (int i = 0; i < images.size(); i++) {
                AffineTransform place = new AffineTransform();
                place.translate((i % columns) * (tw + GAP), (i / columns) * (th + GAP));
                place.scale(scale, scale);
                g.drawRenderedImage(images.get(i), place);
            }
        } finally {
            g.dispose();
        }
        return grid;
    }

    /** PNG bytes, base64-encoded, as Jupyter wants image/png. */
    static String pngBase64(RenderedImage image) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try {
            ImageIO.write(image, "png", out);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return Base64.getEncoder().encodeToString(out.toByteArray());
    }
}
