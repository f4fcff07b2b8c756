package dev.asyncdiff.reward;

import dev.asyncdiff.world.SceneRenderer;

import java.awt.image.BufferedImage;

/**
 * How an image of any size becomes an input of the embedded world's oracle, which is tuned to renders of
 * {@value SceneRenderer#SIZE}×{@value SceneRenderer#SIZE} pixels (its size classes and thresholds are in pixels).
 * The rule: cut the largest centred square out of the image (so the aspect is kept and nothing is stretched), then
 * resample it to the world's size: by area averaging when it is larger (each output pixel is the area-weighted mean
 * of the input pixels it covers, so no input pixel is skipped) and bilinearly, with pixel centres aligned and edges
 * clamped, when it is smaller. A square of the world's size is copied unchanged. Alpha is ignored: the colour
 * channels are read as they are.
 */
public final class WorldInput {
    static final int SIZE = SceneRenderer.SIZE;

    private WorldInput() {
    }

    /** The image fitted to the world's size as a {@code TYPE_INT_RGB} image (a new image, the input is untouched). */
    public static BufferedImage fit(BufferedImage image) {
        int side = Math.min(image.getWidth(), image.getHeight());
        int x0 = (image.getWidth() - side) / 2;
        int y0 = (image.getHeight() - side) / 2;
        double[][][] square = new double[3][side][side];
        for (int y = 0; y < side; y++) {
            for (int x = 0; x < side; x++) {
                int rgb = image.getRGB(x0 + x, y0 + y);
                for (int c = 0; c < 3; c++) {
                    square[c][y][x] = (rgb >> (16 - 8 * c)) & 0xFF;
                }
            }
        }
        double[][] weights = side >= SIZE ? areaWeights(side) : bilinearWeights(side);
        BufferedImage out = new BufferedImage(SIZE, SIZE, BufferedImage.TYPE_INT_RGB);
        int[] rgb = new int[SIZE * SIZE];
        for (int c = 0; c < 3; c++) {
            // Separable: resample the rows, then the columns.
            double[][] rows = new double[side][SIZE];
            for (int j = 0; j < side; j++) {
                rows[j] = resample(square[c][j], weights);
            }
            for (int x = 0; x < SIZE; x++) {
                double[] column = new double[side];
                for (int j = 0; j < side; j++) {
                    column[j] = rows[j][x];
                }
                double[] resampled = resample(column, weights);
                for (int y = 0; y < SIZE; y++) {
                    int level = (int) Math.max(0, Math.min(255, Math.round(resampled[y])));
                    rgb[y * SIZE + x] = (rgb[y * SIZE + x] << 8) | level;
                }
            }
        }
        out.setRGB(0, 0, SIZE, SIZE, rgb, 0, SIZE);
        return out;
    }

    private static double[] resample(double[] line, double[][] weights) {
        double[] out = new double[SIZE];
        for (int k = 0; k < SIZE; k++) {
            for (int i = 0; i < line.length; i++) {
                out[k] += weights[k][i] * line[i];
            }
        }
        return out;
    }

    /** Row k: the share of input pixel i in output pixel k when output pixel k covers [k·s, (k + 1)·s), s = side/SIZE. */
    private static double[][] areaWeights(int side) {
        double s = side / (double) SIZE;
        double[][] w = new double[SIZE][side];
        for (int k = 0; k < SIZE; k++) {
            double from = k * s;
            double to = (k + 1) * s;
            for (int i = (int) Math.floor(from); i < Math.min(side, Math.ceil(to)); i++) {
                w[k][i] = (Math.min(to, i + 1) - Math.max(from, i)) / s;
            }
        }
        return w;
    }

    /** Row k: linear interpolation at input coordinate (k + ½)·side/SIZE − ½, clamped to the first and last pixel. */
    private static double[][] bilinearWeights(int side) {
        double[][] w = new double[SIZE][side];
        for (int k = 0; k < SIZE; k++) {
            double at = Math.max(0, Math.min(side - 1, (k + 0.5) * side / SIZE - 0.5));
            int i = (int) Math.floor(at);
            double f = at - i;
            w[k][i] += 1 - f;
            if (f > 0) {
                w[k][i + 1] += f;
            }
        }
        return w;
    }
}
