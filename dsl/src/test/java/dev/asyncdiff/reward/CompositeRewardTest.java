package dev.asyncdiff.reward;

import org.junit.jupiter.api.Test;

import java.awt.image.BufferedImage;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Eq. 16: z-score each metric within the group, then average. */
class CompositeRewardTest {
    /** A metric that returns fixed scores. */
    private record Fixed(String name, double[] scores) implements Reward {
        @Override
        public boolean needsPrompt() {
            return false;
        }

        @Override
        public double[] score(List<BufferedImage> images, List<String> prompts) {
            return scores.clone();
        }
    }

    private static final List<BufferedImage> THREE = List.of(image(), image(), image());

    private static BufferedImage image() {
        return new BufferedImage(2, 2, BufferedImage.TYPE_INT_RGB);
    }

    @Test
    void zScoresUseTheGroupsMeanAndPopulationStandardDeviation() {
        // mean 2, population variance ((1)² + 0 + (1)²)/3 = 2/3
        double s = Math.sqrt(2.0 / 3);
        assertArrayEquals(new double[] {-1 / s, 0, 1 / s}, CompositeReward.zScores(new double[] {1, 2, 3}), 1e-12);
    }

    @Test
    void theCompositeIsTheMeanOfTheMetricsZScoresAndAConstantMetricAddsZero() {
        Reward a = new Fixed("a", new double[] {1, 2, 3});
        Reward b = new Fixed("b", new double[] {30, 10, 20});
        Reward constant = new Fixed("c", new double[] {7, 7, 7});
        double s = Math.sqrt(2.0 / 3);
        double[] za = {-1 / s, 0, 1 / s};
        double[] zb = {1 / s, -1 / s, 0}; // b: mean 20, deviations 10, −10, 0, population std 10·√(2/3)
        double[] expected = new double[3];
        for (int i = 0; i < 3; i++) {
            expected[i] = (za[i] + zb[i] + 0) / 3;
        }
        double[] got = CompositeReward.of(List.of(a, b, constant)).score(THREE, List.of());
        assertArrayEquals(expected, got, 1e-12);
        assertTrue(Arrays.stream(got).allMatch(Double::isFinite));
    }

    @Test
    void weightsWeighTheZScores() {
        Reward a = new Fixed("a", new double[] {1, 2, 3});
        Reward b = new Fixed("b", new double[] {3, 2, 1});
        double s = Math.sqrt(2.0 / 3);
        double[] got = new CompositeReward(List.of(a, b), new double[] {3, 1}).score(THREE, List.of());
        assertArrayEquals(new double[] {(-3 + 1) / s / 4, 0, (3 - 1) / s / 4}, got, 1e-12);
    }

    @Test
    void aGroupWhereEveryMetricIsConstantScoresZeroNotNaN() {
        double[] got = CompositeReward.of(List.of(new Fixed("a", new double[] {0.5, 0.5, 0.5}))).score(THREE,
                List.of());
        assertArrayEquals(new double[3], got);
    }

    @Test
    void aMetricThatFailsIsAnErrorNamingIt() {
        Reward broken = new Reward() {
            public String name() {
                return "embedded-pref-b";
            }

            public boolean needsPrompt() {
                return false;
            }

            public double[] score(List<BufferedImage> images, List<String> prompts) {
                throw new IllegalStateException("weights missing");
            }
        };
        IllegalStateException e = assertThrows(IllegalStateException.class,
                () -> CompositeReward.of(List.of(new Fixed("a", new double[] {1, 2, 3}), broken)).score(THREE,
                        List.of()));
        assertTrue(e.getMessage().startsWith("reward embedded-pref-b failed"), e.getMessage());
    }

    @Test
    void aNonFiniteScoreIsAnErrorNamingTheMetric() {
        IllegalStateException e = assertThrows(IllegalStateException.class, () -> CompositeReward.of(
                List.of(new Fixed("clip", new double[] {1, Double.NaN, 3}))).score(THREE, List.of()));
        assertEquals("reward clip returned NaN for image 1", e.getMessage());
    }

    @Test
    void badWeightsAreRefused() {
        List<Reward> one = List.of(new Fixed("a", new double[] {1, 2, 3}));
        assertThrows(IllegalArgumentException.class, () -> new CompositeReward(one, new double[] {-1}));
        assertThrows(IllegalArgumentException.class, () -> new CompositeReward(one, new double[] {0}));
        assertThrows(IllegalArgumentException.class, () -> new CompositeReward(one, new double[] {1, 1}));
        assertThrows(IllegalArgumentException.class, () -> new CompositeReward(List.of(), new double[0]));
    }

    @Test
    void combiningKeptRawScoresGivesTheSameComposite() {
        CompositeReward c = CompositeReward.of(List.of(new Fixed("a", new double[] {1, 2, 3}),
                new Fixed("b", new double[] {5, 1, 2})));
        Map<String, double[]> raw = new LinkedHashMap<>(c.scoreEach(THREE, List.of()));
        assertArrayEquals(c.score(THREE, List.of()), c.combine(raw));
    }
}
