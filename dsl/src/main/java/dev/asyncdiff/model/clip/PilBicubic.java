package dev.asyncdiff.model.clip;

/**
 * Bicubic resampling of 8-bit images as Pillow's {@code Image.resize(size, Image.BICUBIC)} computes it (libImaging
 * Resample.c), which is what transformers' CLIPImageProcessor calls: a separable convolution with the weights of
 * {@link BicubicWeights} (Keys' cubic kernel widened when shrinking, normalised to sum 1), rounded to fixed point
 * with 22 fractional bits; the horizontal pass first, its result rounded to 8 bits, then the vertical pass, rounded to 8 bits again. A pass whose
 * size does not change is skipped, as Pillow skips it. Written to give Pillow's bytes exactly, which the parity test
 * checks against Pillow itself.
 */
final class PilBicubic {
    private static final int PRECISION_BITS = 32 - 8 - 2;

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

    /** Each output position's first input and fixed-point weights along one axis. */
    private record Coefficients(int[] first, int[][] weights) {
        /** The shared weights ({@link BicubicWeights}) rounded to fixed point as Pillow rounds them. */
        static Coefficients of(int in, int out) {
            BicubicWeights w = BicubicWeights.of(in, out);
            int[][] weights = new int[out][];
            for (int o = 0; o < out; o++) {
                weights[o] = new int[w.weights()[o].length];
                for (int i = 0; i < weights[o].length; i++) {
                    double normalised = w.weights()[o][i];
                    double fixed = normalised * (1 << PRECISION_BITS);
                    weights[o][i] = (int) (normalised < 0 ? fixed - 0.5 : fixed + 0.5);
                }
            }
            return new Coefficients(w.first(), weights);
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
