package dev.asyncdiff.world;

import java.awt.Color;
import java.awt.image.BufferedImage;

/**
 * Statistics of an object's texture pixels placed on its colour's tone line, t = 0 at the second tone and 1 at the
 * primary.
 *
 * @param mean        mean t: about 1 for plain, 0.75 for dots, 0.5 for stripes and checks
 * @param spread      standard deviation of t
 * @param anisotropy  |gx − gy| / (gx + gy) for the mean absolute change of t between horizontal (gx) and vertical
 *                    (gy) neighbours: near 1 for stripes, which change only across, near 0 for dots and checks
 */
record TextureFeatures(double mean, double spread, double anisotropy) {

    static TextureFeatures measure(BufferedImage image, Blob blob, boolean[] pixels, Colour colour) {
        Color p = colour.primary();
        Color s = colour.secondTone();
        double ar = p.getRed() - s.getRed();
        double ag = p.getGreen() - s.getGreen();
        double ab = p.getBlue() - s.getBlue();
        double norm = ar * ar + ag * ag + ab * ab;
        int w = blob.width();
        double[] t = new double[pixels.length];
        double sum = 0;
        double sumSq = 0;
        int n = 0;
        for (int y = blob.minY(); y <= blob.maxY(); y++) {
            for (int x = blob.minX(); x <= blob.maxX(); x++) {
                int i = y * w + x;
                if (pixels[i]) {
                    int rgb = image.getRGB(x, y);
                    double v = ((((rgb >> 16) & 0xFF) - s.getRed()) * ar + (((rgb >> 8) & 0xFF) - s.getGreen()) * ag
                            + ((rgb & 0xFF) - s.getBlue()) * ab) / norm;
                    t[i] = v;
                    sum += v;
                    sumSq += v * v;
                    n++;
                }
            }
        }
        double mean = sum / n;
        double spread = Math.sqrt(Math.max(sumSq / n - mean * mean, 0));
        double gx = meanChange(blob, pixels, t, 1);
        double gy = meanChange(blob, pixels, t, w);
        double anisotropy = gx + gy == 0 ? 0 : Math.abs(gx - gy) / (gx + gy);
        return new TextureFeatures(mean, spread, anisotropy);
    }

    /** Mean |t(i + step) − t(i)| over pairs of texture pixels a step apart (1: horizontal, width: vertical). */
    private static double meanChange(Blob blob, boolean[] pixels, double[] t, int step) {
        double sum = 0;
        int n = 0;
        for (int y = blob.minY(); y <= blob.maxY(); y++) {
            for (int x = blob.minX(); x <= blob.maxX(); x++) {
                int i = y * blob.width() + x;
                if (pixels[i] && i + step < pixels.length && pixels[i + step]) {
                    sum += Math.abs(t[i + step] - t[i]);
                    n++;
                }
            }
        }
        return n == 0 ? 0 : sum / n;
    }
}
