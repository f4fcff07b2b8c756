package dev.asyncdiff.world;

import java.awt.image.BufferedImage;
import java.util.Random;

/** The imperfections a generator adds, for testing the oracle: Gaussian blur and Gaussian pixel noise. */
final class ImageDegradation {
    private ImageDegradation() {
    }

    /** The image blurred channel by channel with a Gaussian of {@code sigma} pixels, edges clamped. */
    static BufferedImage blur(BufferedImage src, double sigma) {
        int r = (int) Math.ceil(3 * sigma);
        double[] kernel = new double[2 * r + 1];
        double total = 0;
        for (int i = -r; i <= r; i++) {
            kernel[i + r] = Math.exp(-i * i / (2 * sigma * sigma));
            total += kernel[i + r];
        }
        int w = src.getWidth();
        int h = src.getHeight();
        BufferedImage out = new BufferedImage(w, h, BufferedImage.TYPE_INT_RGB);
        double[][] rows = new double[3][w * h];
        for (int y = 0; y < h; y++) {
            for (int x = 0; x < w; x++) {
                for (int i = -r; i <= r; i++) {
                    int rgb = src.getRGB(Math.min(w - 1, Math.max(0, x + i)), y);
                    for (int c = 0; c < 3; c++) {
                        rows[c][y * w + x] += kernel[i + r] / total * ((rgb >> (16 - 8 * c)) & 0xFF);
                    }
                }
            }
        }
        for (int y = 0; y < h; y++) {
            for (int x = 0; x < w; x++) {
                int rgb = 0;
                for (int c = 0; c < 3; c++) {
                    double v = 0;
                    for (int i = -r; i <= r; i++) {
                        v += kernel[i + r] / total * rows[c][Math.min(h - 1, Math.max(0, y + i)) * w + x];
                    }
                    rgb |= level(v) << (16 - 8 * c);
                }
                out.setRGB(x, y, rgb);
            }
        }
        return out;
    }

    /** The image with independent Gaussian noise of {@code sigma} levels added to every channel of every pixel. */
    static BufferedImage noise(BufferedImage src, double sigma, long seed) {
        Random rng = new Random(seed);
        BufferedImage out = new BufferedImage(src.getWidth(), src.getHeight(), BufferedImage.TYPE_INT_RGB);
        for (int y = 0; y < src.getHeight(); y++) {
            for (int x = 0; x < src.getWidth(); x++) {
                int rgb = src.getRGB(x, y);
                int noisy = 0;
                for (int c = 0; c < 3; c++) {
                    noisy |= level(((rgb >> (16 - 8 * c)) & 0xFF) + sigma * rng.nextGaussian()) << (16 - 8 * c);
                }
                out.setRGB(x, y, noisy);
            }
        }
        return out;
    }

    private static int level(double v) {
        return (int) Math.max(0, Math.min(255, Math.round(v)));
    }
}
