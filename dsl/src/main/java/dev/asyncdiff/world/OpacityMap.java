package dev.asyncdiff.world;

import java.awt.Color;
import java.awt.image.BufferedImage;
import java.util.List;

/**
 * How opaque an object is at each pixel around it: 0 where the pixel is background, 1 where it is the object, and
 * the mixing weight in between, which anti-aliasing and blur both produce. A pixel is modelled as
 * background + α·(tone − background), where the tone is any mix of the colour's primary and second tone, solved
 * by least squares. White and black have both tones on the grey line with the background, where a mix cannot be
 * told from a fainter primary: for them α is the projection on the primary when the object looks plain, and the
 * larger of the two projections when it looks textured.
 *
 * <p>Opacity is linear in the image, so its total (the object's area) and its centroid are unchanged by blur.
 * The map covers a window around the blob; {@code region} marks the pixels within {@link #REACH} of the blob that
 * belong to no other blob.
 */
final class OpacityMap {
    /** How far beyond its blob an object's blurred edge may reach, pixels. */
    static final int REACH = 3;
    /** Extra window border so that blurred templates are not cut off at the region's edge. */
    private static final int BORDER = 3;
    /** Above this cosine between its two tone directions, an object's tones are treated as collinear. */
    private static final double COLLINEAR = 0.95;

    final int x0;
    final int y0;
    final int w;
    final int h;
    final double[] alpha;
    final boolean[] region;

    private OpacityMap(int x0, int y0, int w, int h, double[] alpha, boolean[] region) {
        this.x0 = x0;
        this.y0 = y0;
        this.w = w;
        this.h = h;
        this.alpha = alpha;
        this.region = region;
    }

    static OpacityMap of(BufferedImage image, Blob blob, List<Blob> others, Colour colour, boolean looksPlain) {
        int x0 = Math.max(0, blob.minX() - REACH - BORDER);
        int y0 = Math.max(0, blob.minY() - REACH - BORDER);
        int x1 = Math.min(image.getWidth() - 1, blob.maxX() + REACH + BORDER);
        int y1 = Math.min(image.getHeight() - 1, blob.maxY() + REACH + BORDER);
        int w = x1 - x0 + 1;
        int h = y1 - y0 + 1;
        int[] bg = ForegroundSegmenter.localBackground(image, blob);
        double[] primary = direction(colour.primary(), bg);
        double[] second = direction(colour.secondTone(), bg);
        double[] alpha = new double[w * h];
        boolean[] region = new boolean[w * h];
        for (int j = 0; j < h; j++) {
            for (int i = 0; i < w; i++) {
                int x = x0 + i;
                int y = y0 + j;
                if (nearBlob(blob, x, y) && others.stream().noneMatch(o -> o != blob && o.contains(x, y))) {
                    int rgb = image.getRGB(x, y);
                    double[] p = {((rgb >> 16) & 0xFF) - bg[0], ((rgb >> 8) & 0xFF) - bg[1], (rgb & 0xFF) - bg[2]};
                    double a = mixed(p, primary, second, looksPlain);
                    alpha[j * w + i] = Math.max(0, Math.min(1, a));
                    region[j * w + i] = true;
                }
            }
        }
        return new OpacityMap(x0, y0, w, h, alpha, region);
    }

    /** Σα: the object's area in pixels. */
    double mass() {
        double m = 0;
        for (double a : alpha) {
            m += a;
        }
        return m;
    }

    /** The opacity-weighted centroid (x, y) in image coordinates; pixel (x, y) has its centre at x + 0.5. */
    double[] centroid() {
        double m = 0;
        double cx = 0;
        double cy = 0;
        for (int k = 0; k < alpha.length; k++) {
            m += alpha[k];
            cx += alpha[k] * (x0 + k % w + 0.5);
            cy += alpha[k] * (y0 + k / w + 0.5);
        }
        return new double[] {cx / m, cy / m};
    }

    private static boolean nearBlob(Blob blob, int x, int y) {
        for (int dy = -REACH; dy <= REACH; dy++) {
            for (int dx = -REACH; dx <= REACH; dx++) {
                if (blob.contains(x + dx, y + dy)) {
                    return true;
                }
            }
        }
        return false;
    }

    /** α for a mix of two tone directions d1 (primary) and d2 (second tone). */
    private static double mixed(double[] p, double[] d1, double[] d2, boolean looksPlain) {
        double a11 = dot(d1, d1);
        double a12 = dot(d1, d2);
        double a22 = dot(d2, d2);
        if (a12 / Math.sqrt(a11 * a22) > COLLINEAR) {
            return looksPlain ? project(p, d1) : Math.max(project(p, d1), project(p, d2));
        }
        double b1 = dot(p, d1);
        double b2 = dot(p, d2);
        double det = a11 * a22 - a12 * a12;
        return (b1 * a22 - b2 * a12) / det + (a11 * b2 - a12 * b1) / det;
    }

    private static double project(double[] p, double[] d) {
        return dot(p, d) / dot(d, d);
    }

    private static double[] direction(Color tone, int[] bg) {
        return new double[] {tone.getRed() - bg[0], tone.getGreen() - bg[1], tone.getBlue() - bg[2]};
    }

    private static double dot(double[] a, double[] b) {
        return a[0] * b[0] + a[1] * b[1] + a[2] * b[2];
    }
}
