package dev.asyncdiff.model.clip;

/**
 * The weights of antialiased bicubic resampling along one axis, as Pillow's Resample.c and PyTorch's
 * {@code interpolate(mode="bicubic", antialias=True)} both compute them: Keys' cubic kernel (a = −0.5, support 2)
 * widened by the scale when shrinking; output position o is centred at (o + ½)·in/out and reads the inputs from
 * ⌊centre − support + ½⌋ to ⌊centre + support + ½⌋ (clamped to the axis), whose weights are normalised to sum 1.
 *
 * @param first   each output position's first input
 * @param weights each output position's normalised weights, one per input read
 */
record BicubicWeights(int[] first, double[][] weights) {
    private static final double SUPPORT = 2.0;
    private static final double A = -0.5;

    static BicubicWeights of(int in, int out) {
        double scale = (double) in / out;
        double filterScale = Math.max(scale, 1);
        double support = SUPPORT * filterScale;
        int[] first = new int[out];
        double[][] weights = new double[out][];
        double inverse = 1.0 / filterScale; // both multiply by the inverse; dividing can differ by an ulp
        for (int o = 0; o < out; o++) {
            double center = (o + 0.5) * scale;
            int min = Math.max((int) (center - support + 0.5), 0);
            int count = Math.min((int) (center + support + 0.5), in) - min;
            double[] k = new double[count];
            double sum = 0;
            for (int i = 0; i < count; i++) {
                k[i] = kernel((i + min - center + 0.5) * inverse);
                sum += k[i];
            }
            for (int i = 0; i < count; i++) {
                k[i] = sum != 0 ? k[i] / sum : k[i];
            }
            first[o] = min;
            weights[o] = k;
        }
        return new BicubicWeights(first, weights);
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
}
