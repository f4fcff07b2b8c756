package dev.asyncdiff.asyndm;

import java.util.List;

/**
 * The positions related to the prompt's objects, from the backbone's image→text attention (DESIGN.md §1.3): for each
 * object token, its attention averaged over heads (the backbone does that) and the chosen blocks; a position is
 * related to the object when that weight is at least {@code threshold} times the token's mean over positions; a
 * position related to several objects goes to the one with the larger weight.
 *
 * @param owner per position, the index of the object it belongs to, or −1 (background)
 */
public record AttentionMask(int[] owner) {
    public static final int BACKGROUND = -1;
    /** The reference's rule: at least the token's spatial mean. */
    public static final double DEFAULT_THRESHOLD = 1.0;

    /**
     * @param attention [block][position][token] of one sample, each position's row a distribution over tokens
     * @param blocks    the blocks to average (indices into {@code attention})
     * @param objects   the token index of each object
     * @param threshold the multiple of a token's spatial mean a position's weight must reach (> 0)
     */
    public static AttentionMask of(float[][][] attention, List<Integer> blocks, List<Integer> objects,
                                   double threshold) {
        checkThreshold(threshold);
        if (blocks.isEmpty() || objects.isEmpty()) {
            throw new IllegalArgumentException("a mask needs at least one block and one object token");
        }
        int positions = attention[0].length;
        double[][] weight = new double[objects.size()][positions];
        for (int o = 0; o < objects.size(); o++) {
            for (int b : blocks) {
                if (b < 0 || b >= attention.length) {
                    throw new IllegalArgumentException("attention block " + b + " does not exist (the backbone has "
                            + attention.length + ")");
                }
                for (int p = 0; p < positions; p++) {
                    weight[o][p] += attention[b][p][objects.get(o)] / (double) blocks.size();
                }
            }
        }
        int[] owner = new int[positions];
        java.util.Arrays.fill(owner, BACKGROUND);
        for (int o = 0; o < objects.size(); o++) {
            double mean = java.util.Arrays.stream(weight[o]).average().orElseThrow();
            for (int p = 0; p < positions; p++) {
                boolean related = weight[o][p] >= threshold * mean;
                if (related && (owner[p] == BACKGROUND || weight[o][p] > weight[owner[p]][p])) {
                    owner[p] = o;
                }
            }
        }
        return new AttentionMask(owner);
    }

    /** The threshold multiplier, checked in one place: a finite number > 0. */
    public static double checkThreshold(double threshold) {
        if (!(threshold > 0 && Double.isFinite(threshold))) {
            throw new IllegalArgumentException("the mask threshold must be a finite number > 0 (got " + threshold
                    + "); 1 is the reference's token mean");
        }
        return threshold;
    }

    public boolean related(int position) {
        return owner[position] != BACKGROUND;
    }

    /** The share of positions related to some object. */
    public double coverage() {
        return java.util.Arrays.stream(owner).filter(o -> o != BACKGROUND).count() / (double) owner.length;
    }
}
