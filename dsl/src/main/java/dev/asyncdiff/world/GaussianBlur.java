package dev.asyncdiff.world;

/** Separable Gaussian blur of a row-major w×h map; values beyond the border count as 0. */
final class GaussianBlur {
    private GaussianBlur() {
    }

    /** The map blurred with standard deviation {@code sigma} pixels; the map itself when sigma is 0. */
    static double[] apply(double[] map, int w, int h, double sigma) {
        if (sigma == 0) {
            return map;
        }
        int r = (int) Math.ceil(3 * sigma);
        double[] kernel = new double[2 * r + 1];
        double sum = 0;
        for (int i = -r; i <= r; i++) {
            kernel[i + r] = Math.exp(-i * i / (2 * sigma * sigma));
            sum += kernel[i + r];
        }
        for (int i = 0; i < kernel.length; i++) {
            kernel[i] /= sum;
        }
        double[] rows = new double[map.length];
        for (int y = 0; y < h; y++) {
            for (int x = 0; x < w; x++) {
                double v = 0;
                for (int i = Math.max(-r, -x); i <= Math.min(r, w - 1 - x); i++) {
                    v += kernel[i + r] * map[y * w + x + i];
                }
                rows[y * w + x] = v;
            }
        }
        double[] out = new double[map.length];
        for (int y = 0; y < h; y++) {
            for (int x = 0; x < w; x++) {
                double v = 0;
                for (int i = Math.max(-r, -y); i <= Math.min(r, h - 1 - y); i++) {
                    v += kernel[i + r] * rows[(y + i) * w + x];
                }
                out[y * w + x] = v;
            }
        }
        return out;
    }
}
