package dev.asyncdiff.model.clip;

/**
 * Bicubic resampling of float images as PyTorch's {@code F.interpolate(x, size, mode="bicubic", antialias=True,
 * align_corners=False)} computes it, which torchvision's {@code Resize} applies to tensors (antialias on by default
 * since torchvision 0.17): the weights of {@link BicubicWeights}, the same as Pillow's, applied in floating point with
 * no rounding to levels and no clamping, one axis after the other.
 */
final class AntialiasedBicubic {
    private AntialiasedBicubic() {
    }

    /**
     * @param planes planes [c][h·w], row-major
     * @return planes [c][outH·outW]
     */
    static float[][] resize(float[][] planes, int w, int h, int outW, int outH) {
        BicubicWeights across = BicubicWeights.of(w, outW);
        BicubicWeights down = BicubicWeights.of(h, outH);
        float[][] out = new float[planes.length][outW * outH];
        double[] row = new double[outW * h];
        for (int c = 0; c < planes.length; c++) {
            float[] p = planes[c];
            for (int y = 0; y < h; y++) {
                for (int x = 0; x < outW; x++) {
                    row[y * outW + x] = apply(across, p, y * w, 1, x);
                }
            }
            for (int y = 0; y < outH; y++) {
                for (int x = 0; x < outW; x++) {
                    double[] k = down.weights()[y];
                    int at = down.first()[y] * outW + x;
                    double acc = 0;
                    for (int i = 0; i < k.length; i++) {
                        acc += row[at + i * outW] * k[i];
                    }
                    out[c][y * outW + x] = (float) acc;
                }
            }
        }
        return out;
    }

    private static double apply(BicubicWeights k, float[] line, int start, int stride, int o) {
        double[] w = k.weights()[o];
        int at = start + k.first()[o] * stride;
        double acc = 0;
        for (int i = 0; i < w.length; i++) {
            acc += line[at + i * stride] * w[i];
        }
        return acc;
    }
}
