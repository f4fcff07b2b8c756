package dev.asyncdiff.eval;

import java.awt.Color;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.geom.AffineTransform;
import java.awt.image.BufferedImage;
import java.awt.image.RenderedImage;
import java.util.List;

/** Several images as one: a row-major grid, small images enlarged pixel-exactly so that they can be seen. */
public final class ImageGrid {
    /** Tiles are enlarged by an integer factor until their longer side reaches this many pixels. */
    public static final int MIN_TILE = 96;
    public static final int GAP = 2;

    private ImageGrid() {
    }

    /** The integer factor that brings a w × h tile's longer side to at least {@link #MIN_TILE} pixels. */
    public static int enlargement(int w, int h) {
        int side = Math.max(1, Math.max(w, h));
        return Math.max(1, (MIN_TILE + side - 1) / side);
    }

    /** The images in rows of {@code columns}, on white, separated by a thin gap. */
    public static BufferedImage of(List<? extends RenderedImage> images, int columns) {
        if (images.isEmpty() || columns < 1) {
            throw new IllegalArgumentException("an image grid needs at least one image and one column");
        }
        int rows = (images.size() + columns - 1) / columns;
        int w = 0;
        int h = 0;
        for (RenderedImage im : images) {
            w = Math.max(w, im.getWidth());
            h = Math.max(h, im.getHeight());
        }
        int scale = enlargement(w, h);
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
}
