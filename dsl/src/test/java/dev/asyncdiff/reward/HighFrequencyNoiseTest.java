package dev.asyncdiff.reward;

import dev.asyncdiff.world.CaptionParser;
import dev.asyncdiff.world.SceneRenderer;
import dev.asyncdiff.world.SceneSampler;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.awt.image.BufferedImage;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.SplittableRandom;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** hf-noise on renders with known corruption. */
class HighFrequencyNoiseTest {
    /** Noise levels on the [0, 1] scale, from the smallest the issue names. */
    private static final double[] LEVELS = {0.01, 0.02, 0.05, 0.1};

    private static List<BufferedImage> renders(String caption, int n) {
        List<BufferedImage> out = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            out.add(SceneRenderer.render(SceneSampler.sample(CaptionParser.parse(caption), 100 + i)));
        }
        return out;
    }

    /** Independent Gaussian noise of {@code sigma} (on [0, 1]) on every channel, rounded and clamped to 8 bits. */
    static BufferedImage noisy(BufferedImage src, double sigma, long seed) {
        Random rng = new Random(seed);
        BufferedImage out = new BufferedImage(src.getWidth(), src.getHeight(), BufferedImage.TYPE_INT_RGB);
        for (int y = 0; y < src.getHeight(); y++) {
            for (int x = 0; x < src.getWidth(); x++) {
                int rgb = src.getRGB(x, y);
                int v = 0;
                for (int shift = 16; shift >= 0; shift -= 8) {
                    double level = ((rgb >> shift) & 0xFF) + 255 * sigma * rng.nextGaussian();
                    v |= (int) Math.max(0, Math.min(255, Math.round(level))) << shift;
                }
                out.setRGB(x, y, v);
            }
        }
        return out;
    }

    @Test
    void onAFlatGreyImageTheEstimateIsTheNoisesStandardDeviation() {
        BufferedImage grey = new BufferedImage(64, 64, BufferedImage.TYPE_INT_RGB);
        for (int y = 0; y < 64; y++) {
            for (int x = 0; x < 64; x++) {
                grey.setRGB(x, y, 0x808080);
            }
        }
        assertEquals(0, HighFrequencyNoise.sigma(grey), 1e-12);
        // 3,072 coefficients: the median's relative standard error is about 1.25/√3072 ≈ 2.3%
        for (double s : new double[] {0.02, 0.05, 0.1}) {
            assertEquals(255 * s, HighFrequencyNoise.sigma(noisy(grey, s, 9)), 0.1 * 255 * s, "sigma " + s);
        }
    }

    @Test
    void theMedianOfHalfLevelBinsIsInterpolatedWithinItsBin() {
        // 10 coefficients: 4 at 0, 5 at 0.5, 1 at 1.0 → N/2 = 5 falls in bin 1 (0.5 ± 0.25) one fifth in
        assertEquals(0.25 + 0.5 * (5 - 4) / 5.0, HighFrequencyNoise.groupedMedian(new int[] {4, 5, 1}, 10), 1e-15);
        // half or more at 0 → 0, so clean renders score 0
        assertEquals(0.0, HighFrequencyNoise.groupedMedian(new int[] {5, 0, 5}, 10), 0.0);
        // an empty bin 0: the median moves through bin 2 (1.0 ± 0.25) as its share grows
        assertEquals(0.75 + 0.5 * (2 - 0) / 4.0, HighFrequencyNoise.groupedMedian(new int[] {0, 0, 4}, 4), 1e-15);
        // never more than a quarter level from the plain median of the same values, for an odd count (one middle
        // value, in the bin where the count crosses N/2)
        SplittableRandom r = new SplittableRandom(4);
        for (int trial = 0; trial < 200; trial++) {
            int[] bins = new int[8];
            int n = 1 + 2 * r.nextInt(30);
            List<Double> values = new ArrayList<>();
            for (int i = 0; i < n; i++) {
                int k = r.nextInt(8);
                bins[k]++;
                values.add(k / 2.0);
            }
            values.sort(null);
            double plain = (values.get((n - 1) / 2) + values.get(n / 2)) / 2;
            assertEquals(plain, HighFrequencyNoise.groupedMedian(bins, n), 0.25 + 1e-12, "trial " + trial);
        }
    }

    @Test
    void noiseBelowOneLevelOnASmoothImageIsSeenThroughTheQuantisation() {
        // a smooth diagonal ramp: its 8-bit rounding alone leaves coefficients of 0 and ½ level
        BufferedImage ramp = new BufferedImage(64, 64, BufferedImage.TYPE_INT_RGB);
        for (int y = 0; y < 64; y++) {
            for (int x = 0; x < 64; x++) {
                int v = (int) Math.round(60 + 1.37 * x + 0.61 * y);
                ramp.setRGB(x, y, (v << 16) | (v << 8) | v);
            }
        }
        double clean = HighFrequencyNoise.sigma(ramp);
        double previous = clean;
        for (double levels : new double[] {0.3, 0.6, 1.0}) {
            double s = HighFrequencyNoise.sigma(noisy(ramp, levels / 255, 11));
            assertTrue(s > previous, levels + " levels of noise: " + s + " is not above " + previous);
            previous = s;
        }
    }

    @Test
    void everyRenderScoresCleanerThanItselfWithNoiseAtEveryLevel() {
        HighFrequencyNoise metric = new HighFrequencyNoise();
        for (String caption : List.of("a red circle", "two blue stars left of a green cross",
                "three yellow triangles", "a large purple diamond above two small white squares")) {
            List<BufferedImage> clean = renders(caption, 6);
            double[] base = metric.score(clean, List.of());
            for (double level : LEVELS) {
                List<BufferedImage> noisy = clean.stream().map(i -> noisy(i, level, 3)).toList();
                double[] s = metric.score(noisy, List.of());
                for (int i = 0; i < s.length; i++) {
                    assertTrue(s[i] < base[i], caption + " #" + i + " at sigma " + level + ": " + s[i]
                            + " is not below the clean " + base[i]);
                }
            }
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"striped", "dotted", "checkered"})
    void texturedRendersAreNotScoredAsNoise(String texture) {
        List<BufferedImage> clean = renders("two large " + texture + " squares", 8);
        clean.addAll(renders("a large " + texture + " circle", 8));
        clean.addAll(renders("four " + texture + " stars", 8));
        double worstClean = 0;
        double leastNoisy = Double.MAX_VALUE;
        for (int i = 0; i < clean.size(); i++) {
            worstClean = Math.max(worstClean, HighFrequencyNoise.sigma(clean.get(i)));
            leastNoisy = Math.min(leastNoisy, HighFrequencyNoise.sigma(noisy(clean.get(i), LEVELS[0], i)));
        }
        System.out.printf("hf-noise, %s renders: worst clean %.3f levels, least noisy at sigma 0.01 %.3f%n",
                texture, worstClean, leastNoisy);
        assertTrue(worstClean < leastNoisy, texture + ": the most textured clean render scores " + worstClean
                + " levels, the least noisy one at sigma 0.01 " + leastNoisy);
    }

    @Test
    void itsRankCorrelationWithTheTrueNoiseLevelIsHigh() {
        List<double[]> pairs = new ArrayList<>();
        List<BufferedImage> clean = renders("two striped red squares above a dotted blue circle", 10);
        clean.addAll(renders("three checkered green triangles", 10));
        double[] levels = {0, 0.01, 0.02, 0.05, 0.1};
        for (int i = 0; i < clean.size(); i++) {
            for (double l : levels) {
                pairs.add(new double[] {l, HighFrequencyNoise.sigma(l == 0 ? clean.get(i) : noisy(clean.get(i), l,
                        i))});
            }
        }
        double rho = SpearmanForTest.rho(pairs);
        System.out.printf("hf-noise: Spearman rank correlation with the true noise level over %d renders × %d "
                + "levels: %.4f%n", clean.size(), levels.length, rho);
        assertTrue(rho > 0.95, "Spearman rank correlation with the true noise level: " + rho);
    }
}
