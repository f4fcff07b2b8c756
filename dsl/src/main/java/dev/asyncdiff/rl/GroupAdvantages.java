package dev.asyncdiff.rl;

import dev.asyncdiff.reward.CompositeReward;

/**
 * GRPO's advantages: each trajectory's reward relative to its group (one prompt, G initial noises), A_i = (R_i − mean)
 * / std with the population standard deviation. A group whose rewards do not spread carries no preference: its
 * advantages are 0 (never NaN), and {@link #zeroSpread} says so, so training logs can count such groups.
 */
public record GroupAdvantages(double[] advantages, boolean zeroSpread) {
    /** @param clip the advantages are clipped to [−clip, clip]; infinity leaves them as they are */
    public static GroupAdvantages of(double[] rewards, double clip) {
        if (rewards.length < 2) {
            throw new IllegalArgumentException("a group needs at least 2 trajectories (got " + rewards.length + ")");
        }
        if (!(clip > 0)) {
            throw new IllegalArgumentException("the advantage clip must be > 0 (got " + clip + ")");
        }
        for (double r : rewards) {
            if (!Double.isFinite(r)) {
                throw new IllegalArgumentException("a group's rewards must be finite (got " + r + ")");
            }
        }
        double[] a = CompositeReward.zScores(rewards); // all 0 exactly when the rewards do not spread
        boolean zeroSpread = java.util.Arrays.stream(a).allMatch(z -> z == 0);
        for (int i = 0; i < a.length; i++) {
            a[i] = Math.max(-clip, Math.min(clip, a[i]));
        }
        return new GroupAdvantages(a, zeroSpread);
    }
}
