package dev.asyncdiff.model.clip;

/**
 * Bicubic resampling of 8-bit images as Pillow's {@code Image.resize(size, Image.BICUBIC)} computes it (libImaging
 * Resample.c), which is what transformers' CLIPImageProcessor calls: a separable convolution with Keys' cubic kernel
 * (a = −0.5, support 2) widened by the scale when shrinking (so shrinking averages, as an antialiasing filter does);
 * each output pixel's weights normalised to sum 1, then rounded to fixed point with 22 fractional bits; the
 * horizontal pass first, its result rounded to 8 bits, then the vertical pass, rounded to 8 bits again. A pass whose
 * size does not change is skipped, as Pillow skips it. Written to give Pillow's bytes exactly, which the parity test
 * checks against Pillow itself.
 */
final class PilBicubic {
    private static final int PRECISION_BITS = 32 - 8 - 2;
    private static final double SUPPORT = 2.0;
    private static final double A = -0.5;

    private PilBicubic() {
    }

    /**
     * @param channels planes [c][h·w] of levels 0–255, row-major
     * @return planes [c][outH·outW]
     */
    static int[][] resize(int[][] channels, int w, int h, int outW, int outH) {
        int[][] out = channels;
        int width = w;
        if (outW != w) {
            Coefficients k = Coefficients.of(w, outW);
            int[][] next = new int[out.length][outW * h];
            for (int c = 0; c < out.length; c++) {
                for (int y = 0; y < h; y++) {
                    for (int x = 0; x < outW; x++) {
                        next[c][y * outW + x] = k.apply(out[c], y * width, 1, x);
                    }
                }
            }
            out = next;
            width = outW;
        }
        if (outH != h) {
            Coefficients k = Coefficients.of(h, outH);
            int[][] next = new int[out.length][width * outH];
            for (int c = 0; c < out.length; c++) {
                for (int y = 0; y < outH; y++) {
                    for (int x = 0; x < width; x++) {
                        next[c][y * width + x] = k.apply(out[c], x, width, y);
                    }
                }
            }
            out = next;
        }
        return out;
    }

    /** Keys' cubic convolution kernel with a = −0.5. */
    static double kernel(double x) {
        x = Math.abs(x);
        if (x < 1) {
            return ((A + 2) * x - (A + 3)) * x * x + 1;
        }
        if (x < 2) {
            return (((x - 5) * x + 8) * x - 4) * A;
        }
        return 0;
    }

    /** Each output position's first input and fixed-point weights along one axis. */
    private record Coefficients(int[] first, int[][] weights) {
        static Coefficients of(int in, int out) {
            double scale = (double) in / out;
            double filterScale = Math.max(scale, 1);
            double support = SUPPORT * filterScale;
            int[] first = new int[out];
            int[][] weights = new int[out][];
            for (int o = 0; o < out; o++) {
                double center = (o + 0.5) * scale;
                int min = Math.max((int) (center - support + 0.5), 0);
                int count = Math.min((int) (center + support + 0.5), in) - min;
                double[] k = new double[count];
                double sum = 0;
                double inverse = 1.0 / filterScale; // Pillow multiplies by the inverse; dividing can differ by an ulp
                for (int i = 0; i < count; i++) {
                    k[i] = kernel((i + min - center + 0.5) * inverse);
                    sum += k[i];
                }
                weights[o] = new int[count];
                for (int i = 0; i < count; i++) {
                    double normalised = sum != 0 ? k[i] / sum : k[i];
                    double fixed = normalised * (1 << PRECISION_BITS);
                    weights[o][i] = (int) (normalised < 0 ? fixed - 0.5 : fixed + 0.5);
                }
                first[o] = min;
            }
            return new Coefficients(first, weights);
        }

        /** Output position o of the line of {@code plane} that starts at {@code start} with this stride. */
        int apply(int[] plane, int start, int stride, int o) {
            int[] k = weights[o];
            int at = start + first[o] * stride;
            int acc = 1 << (PRECISION_BITS - 1);
            for (int i = 0; i < k.length; i++) {
                acc += plane[at + i * stride] * k[i];
            }
            return Math.max(0, Math.min(255, acc >> PRECISION_BITS));
        }
    }
}
