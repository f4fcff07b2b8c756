package dev.asyncdiff.rl;

/**
 * GRPO's advantages: each trajectory's reward relative to its group (one prompt, G initial noises), A_i = (R_i − mean)
 * / std with the population standard deviation. A group whose rewards do not spread carries no preference: its
 * advantages are 0 (never NaN), and {@link #zeroSpread} says so, so training logs can count such groups.
 *
 * @param clip the advantages are clipped to [−clip, clip]; infinity leaves them as they are
 */
public record GroupAdvantages(double[] advantages, boolean zeroSpread) {
    /** A spread below this, relative to the rewards' size, counts as none: the z-scores would be rounding noise. */
    private static final double NO_SPREAD = 1e-12;

    public static GroupAdvantages of(double[] rewards, double clip) {
        if (rewards.length < 2) {
            throw new IllegalArgumentException("a group needs at least 2 trajectories (got " + rewards.length + ")");
        }
        if (!(clip > 0)) {
            throw new IllegalArgumentException("the advantage clip must be > 0 (got " + clip + ")");
        }
        double mean = 0;
        double size = 0;
        for (double r : rewards) {
            if (!Double.isFinite(r)) {
                throw new IllegalArgumentException("a group's rewards must be finite (got " + r + ")");
            }
            mean += r / rewards.length;
            size = Math.max(size, Math.abs(r));
        }
        double var = 0;
        for (double r : rewards) {
            var += (r - mean) * (r - mean) / rewards.length;
        }
        double std = Math.sqrt(var);
        double[] a = new double[rewards.length];
        if (std <= NO_SPREAD * Math.max(1, size)) {
            return new GroupAdvantages(a, true);
        }
        for (int i = 0; i < a.length; i++) {
            a[i] = Math.max(-clip, Math.min(clip, (rewards[i] - mean) / std));
        }
        return new GroupAdvantages(a, false);
    }
}
