package dev.asyncdiff.world;

import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.image.BufferedImage;
import java.awt.image.Raster;

/**
 * Recognises a shape by analysis by synthesis: for each shape, draw it where the opacity map says the object is —
 * at the map's centroid, scaled so its area equals the map's mass, both of which blur leaves unchanged — blur the
 * drawing by each candidate amount, and keep the shape and blur whose drawing differs least from the map.
 * Comparing whole opacity maps, not thresholded outlines, keeps the evidence that blur spreads out: a blurred
 * star's notches are shallower, but still deeper than a blurred circle's.
 */
final class ShapeFitter {
    /** Candidate blurs, pixels: sharp renders, mild and strong generator blur. */
    static final double[] BLURS = {0, 0.5, 1.0, 1.5};

    private ShapeFitter() {
    }

    static ShapeFit fit(OpacityMap map) {
        double mass = map.mass();
        double[] c = map.centroid();
        ShapeFit best = null;
        for (Shape s : Shape.values()) {
            double extent = Math.sqrt(mass / ShapeOutline.unitArea(s));
            double[] drawing = coverage(map, s, c[0], c[1], extent);
            for (double sigma : BLURS) {
                double error = squaredDifference(map, GaussianBlur.apply(drawing, map.w, map.h, sigma));
                if (best == null || error < best.error()) {
                    best = new ShapeFit(s, c[0], c[1], extent, sigma, error);
                }
            }
        }
        return best;
    }

    /**
     * The pixels of the map's region where the fitted drawing, blurred as fitted, is at least {@code level} opaque:
     * the object's interior, away from edges that blur mixes with the background. Indexed like the image's pixels.
     */
    static boolean[] interior(OpacityMap map, ShapeFit fit, double level, int imageWidth, int imageHeight) {
        double[] drawing = GaussianBlur.apply(coverage(map, fit.shape(), fit.x(), fit.y(), fit.extent()), map.w, map.h,
                fit.blur());
        boolean[] inside = new boolean[imageWidth * imageHeight];
        for (int k = 0; k < drawing.length; k++) {
            if (map.region[k] && drawing[k] >= level) {
                inside[(map.y0 + k / map.w) * imageWidth + map.x0 + k % map.w] = true;
            }
        }
        return inside;
    }

    /** The drawn shape as anti-aliased coverage in [0, 1] over the map's window. */
    static double[] coverage(OpacityMap map, Shape shape, double x, double y, double extent) {
        BufferedImage canvas = new BufferedImage(map.w, map.h, BufferedImage.TYPE_BYTE_GRAY);
        Graphics2D g = canvas.createGraphics();
        try {
            g.setRenderingHint(RenderingHints.KEY_ANTIALIASING, RenderingHints.VALUE_ANTIALIAS_ON);
            g.setRenderingHint(RenderingHints.KEY_STROKE_CONTROL, RenderingHints.VALUE_STROKE_PURE);
            g.setColor(java.awt.Color.WHITE);
            g.fill(ShapeOutline.placed(shape, x - map.x0, y - map.y0, extent));
        } finally {
            g.dispose();
        }
        Raster raster = canvas.getRaster();
        double[] coverage = new double[map.w * map.h];
        for (int j = 0; j < map.h; j++) {
            for (int i = 0; i < map.w; i++) {
                coverage[j * map.w + i] = raster.getSample(i, j, 0) / 255.0;
            }
        }
        return coverage;
    }

    private static double squaredDifference(OpacityMap map, double[] drawing) {
        double sum = 0;
        for (int k = 0; k < drawing.length; k++) {
            if (map.region[k]) {
                double d = map.alpha[k] - drawing[k];
                sum += d * d;
            }
        }
        return sum;
    }
}
