package dev.asyncdiff.sample;

import java.util.SplittableRandom;

/**
 * The random stream of one sample, seeded from (seed, global sample index) alone, so a sample draws the same
 * numbers whether it is generated alone or in a batch of any size. Initial noise is drawn first, then whatever
 * a stochastic policy needs.
 */
public final class SampleStream {
    private final SplittableRandom random;
    private double spareGaussian = Double.NaN;

    public SampleStream(long seed, long sampleIndex) {
        this.random = new SplittableRandom(mix(seed * 0x9E3779B97F4A7C15L + sampleIndex));
    }

    /** A standard normal draw (Marsaglia's polar method). */
    public double gaussian() {
        if (!Double.isNaN(spareGaussian)) {
            double g = spareGaussian;
            spareGaussian = Double.NaN;
            return g;
        }
        double u;
        double v;
        double s;
        do {
            u = 2 * random.nextDouble() - 1;
            v = 2 * random.nextDouble() - 1;
            s = u * u + v * v;
        } while (s >= 1 || s == 0);
        double f = Math.sqrt(-2 * Math.log(s) / s);
        spareGaussian = v * f;
        return u * f;
    }

    /** A uniform draw in [0, 1). */
    public double uniform() {
        return random.nextDouble();
    }

    /** A vector of standard normal draws, as the initial noise x_0 ~ N(0, I). */
    public float[] gaussianVector(int n) {
        float[] out = new float[n];
        for (int i = 0; i < n; i++) {
            out[i] = (float) gaussian();
        }
        return out;
    }

    /** Stafford's variant 13 of the 64-bit finaliser: decorrelates nearby (seed, index) pairs. */
    private static long mix(long z) {
        z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
        z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
        return z ^ (z >>> 31);
    }
}
