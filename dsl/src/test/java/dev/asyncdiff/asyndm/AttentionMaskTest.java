package dev.asyncdiff.asyndm;

import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Masks on synthetic attention over 8 positions and 3 tokens ("a", "circle", "star"). */
class AttentionMaskTest {
    /** One block: each position's distribution over the tokens, from the weights of "circle" and "star". */
    private static float[][] block(double[] circle, double[] star) {
        float[][] b = new float[circle.length][3];
        for (int p = 0; p < circle.length; p++) {
            b[p] = new float[] {(float) (1 - circle[p] - star[p]), (float) circle[p], (float) star[p]};
        }
        return b;
    }

    private static final double[] CIRCLE = {0.8, 0.7, 0.6, 0.1, 0.1, 0.1, 0.1, 0.1};
    private static final double[] STAR = {0.0, 0.1, 0.3, 0.0, 0.0, 0.5, 0.6, 0.1};

    @Test
    void positionsAtLeastAtTheTokensMeanBelongToItsObjectAndOverlapsToTheLargerWeight() {
        // circle's mean is 0.325: positions 0, 1, 2; star's mean 0.2: positions 2, 5, 6; position 2 has 0.6 > 0.3
        AttentionMask m = AttentionMask.of(new float[][][] {block(CIRCLE, STAR)}, List.of(0), List.of(1, 2), 1.0);
        assertArrayEquals(new int[] {0, 0, 0, -1, -1, 1, 1, -1}, m.owner());
        assertEquals(5 / 8.0, m.coverage(), 1e-12);
    }

    @Test
    void aHigherThresholdKeepsFewerPositions() {
        // 1.9 × circle's mean = 0.6175 keeps 0 and 1; 1.9 × star's mean = 0.38 keeps 5 and 6
        AttentionMask m = AttentionMask.of(new float[][][] {block(CIRCLE, STAR)}, List.of(0), List.of(1, 2), 1.9);
        assertArrayEquals(new int[] {0, 0, -1, -1, -1, 1, 1, -1}, m.owner());
    }

    @Test
    void theChosenBlocksAreAveraged() {
        double[] flatCircle = {0.2, 0.2, 0.2, 0.2, 0.2, 0.2, 0.2, 0.9};
        double[] none = new double[8];
        float[][][] attention = {block(CIRCLE, none), block(flatCircle, none), block(flatCircle, none)};
        // blocks 0 and 1 averaged: (0.5, 0.45, 0.4, 0.15, 0.15, 0.15, 0.15, 0.5), mean 0.30625
        assertArrayEquals(new int[] {0, 0, 0, -1, -1, -1, -1, 0},
                AttentionMask.of(attention, List.of(0, 1), List.of(1), 1.0).owner());
        // block 2 alone: only position 7 reaches its mean
        assertArrayEquals(new int[] {-1, -1, -1, -1, -1, -1, -1, 0},
                AttentionMask.of(attention, List.of(2), List.of(1), 1.0).owner());
    }

    @Test
    void badThresholdsAndBlocksAreRefused() {
        float[][][] a = {block(CIRCLE, STAR)};
        for (double t : new double[] {0, -1, Double.NaN, Double.POSITIVE_INFINITY}) {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                    () -> AttentionMask.of(a, List.of(0), List.of(1), t));
            assertTrue(e.getMessage().contains("threshold"), e.getMessage());
        }
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> AttentionMask.of(a, List.of(3), List.of(1), 1));
        assertTrue(e.getMessage().contains("block 3"), e.getMessage());
    }
}
