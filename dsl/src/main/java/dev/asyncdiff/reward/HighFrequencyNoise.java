package dev.asyncdiff.reward;

import java.awt.image.BufferedImage;
import java.util.List;

/**
 * {@code hf-noise}: how much spurious, pixel-level noise an image carries, told apart from structured detail — the
 * metric the AsyncDiff paper asks for, since its learned rewards did not penalise the Gaussian background noise that
 * large deviations leave.
 *
 * <p>The estimate is Donoho's robust one on the finest diagonal wavelet band: each channel is cut into 2×2 blocks
 * (a b / c d), each block gives the orthonormal Haar diagonal coefficient (a − b − c + d)/2, and the noise standard
 * deviation is median(|coefficient|)/0.6745 over all blocks and channels. Independent pixel noise of standard
 * deviation σ gives coefficients of standard deviation σ everywhere; structured detail does not reach the median:
 * horizontal and vertical edges (stripes, checkers, box outlines) give exactly zero, and diagonal edges and dot
 * outlines touch a small share of the blocks. The score is minus that σ in 8-bit levels (0 for a clean render, about
 * −2.55 for noise of σ = 0.01 on the [0, 1] scale), so higher is better like every {@link Reward}.
 *
 * <p>On 8-bit images every |coefficient| is a multiple of half a level, so the plain median of a smooth image is 0,
 * 0.5 or 1 levels and nothing between: every smooth generated image used to score exactly −0.5/0.6745 = −0.741. The
 * median is therefore the grouped-data (interpolated) median of those half-level bins: with N coefficients, bin k
 * (|coefficient| = k/2) holding n_k of them and F_{k−1} below it, the bin where the cumulative count reaches N/2
 * gives median = k/2 − ¼ + ½·(N/2 − F_{k−1})/n_k (bin k read as the interval k/2 ± ¼); when bin 0 holds at least
 * half the coefficients the median is 0 (clean renders keep scoring 0). It differs from the plain median by at most
 * a quarter level and moves continuously with the share of each bin.
 */
public final class HighFrequencyNoise implements Reward {
    public static final String NAME = "hf-noise";
    /** median(|x|) = 0.6745·σ for a zero-mean normal x. */
    private static final double MAD_TO_SIGMA = 0.6744897501960817;

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public boolean needsPrompt() {
        return false;
    }

    @Override
    public double[] score(List<BufferedImage> images, List<String> prompts) {
        Reward.checkBatch(this, images, prompts);
        return images.stream().mapToDouble(i -> -sigma(i)).toArray();
    }

    /** The estimated noise standard deviation of an image, in 8-bit levels. */
    public static double sigma(BufferedImage image) {
        int w = image.getWidth() / 2 * 2;
        int h = image.getHeight() / 2 * 2;
        if (w == 0 || h == 0) {
            throw new IllegalArgumentException("hf-noise needs an image of at least 2×2 pixels (got "
                    + image.getWidth() + "×" + image.getHeight() + ")");
        }
        int[] bins = new int[2 * 255 * 2 + 1];   // |a − b − c + d| ≤ 510: bin k holds |coefficient| = k/2
        int n = 0;
        for (int y = 0; y < h; y += 2) {
            for (int x = 0; x < w; x += 2) {
                int a = image.getRGB(x, y);
                int b = image.getRGB(x + 1, y);
                int c = image.getRGB(x, y + 1);
                int d = image.getRGB(x + 1, y + 1);
                for (int shift = 16; shift >= 0; shift -= 8) {
                    bins[Math.abs(level(a, shift) - level(b, shift) - level(c, shift) + level(d, shift))]++;
                    n++;
                }
            }
        }
        return groupedMedian(bins, n) / MAD_TO_SIGMA;
    }

    /** The interpolated median of |coefficients| binned by half levels (bin k: k/2), as the class describes. */
    static double groupedMedian(int[] bins, int n) {
        double half = n / 2.0;
        long below = 0;
        for (int k = 0; k < bins.length; k++) {
            if (below + bins[k] >= half) {
                return k == 0 ? 0.0 : k / 2.0 - 0.25 + 0.5 * (half - below) / bins[k];
            }
            below += bins[k];
        }
        throw new IllegalStateException("no coefficients");
    }

    private static int level(int rgb, int shift) {
        return (rgb >> shift) & 0xFF;
    }
}
