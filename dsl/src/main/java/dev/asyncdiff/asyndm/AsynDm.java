package dev.asyncdiff.asyndm;

import dev.asyncdiff.sample.LatentClock;

import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * AsynDM's settings, and the per-position clock they define (DESIGN.md §1.3): positions related to the prompt's
 * objects advance on the {@code concave} schedule, the rest on the grid, every position reaching the grid's end at the
 * last step ({@link ProgressSchedule}).
 *
 * @param concave     the slower schedule of related positions (default quadratic, k = 0.7)
 * @param masks       where masks come from: {@link Masks#DYNAMIC} (default), {@link Masks#FIXED} or
 *                    {@link Masks#EVERYWHERE} (every position concave, no attention: "concave everywhere")
 * @param threshold   a related position's attention is at least this multiple of the token's spatial mean (default 1)
 * @param blocks      the backbone blocks whose attention is averaged; empty for all of them
 * @param objectWords the words whose attention marks the objects; empty for the tiny world's rule (each object's
 *                    colour word, {@link ObjectWords#world})
 * @param maxDisparity the timestep-disparity limit: a related position's remaining progress may exceed the
 *                    background's (the grid's, 1 − (k + 1)/K after step k) by at most this much, so fast and slow
 *                    regions cannot drift arbitrarily far apart (ρ' = min(ρ'_concave, 1 − (k + 1)/K + Δ)); +∞ (the
 *                    default) leaves the concave schedule alone. The cap keeps the guarantee: both terms reach 0 at
 *                    the last step and neither exceeds ρ.
 */
public record AsynDm(ProgressSchedule concave, Masks masks, double threshold, List<Integer> blocks,
                     Set<String> objectWords, double maxDisparity) implements LatentClock {
    /** Where the masks come from. */
    public enum Masks {
        /**
         * Recomputed every step from the attention of the previous step's model evaluation (read from the same forward
         * pass); the first step's from a synchronous pass on x_0 at t_0.
         */
        DYNAMIC,
        /** Computed once per batch from the attention averaged over a full synchronous run from the same noise. */
        FIXED,
        /** No mask: every position takes the concave schedule. */
        EVERYWHERE
    }

    public static final AsynDm DEFAULT = new AsynDm(new ProgressSchedule.Quadratic(ProgressSchedule.DEFAULT_STRENGTH),
            Masks.DYNAMIC, AttentionMask.DEFAULT_THRESHOLD, List.of(), Set.of(), Double.POSITIVE_INFINITY);
    public static final String FORM = "quadratic|piecewise|exponential[:K][:dynamic|:fixed|:everywhere], "
            + "0 < K < 1 (default quadratic:0.7:dynamic)";

    public AsynDm {
        if (concave instanceof ProgressSchedule.Linear) {
            throw new IllegalArgumentException("AsynDM needs a concave schedule for the related positions (got linear, "
                    + "which is standard sampling); choose " + FORM);
        }
        AttentionMask.checkThreshold(threshold);
        if (!(maxDisparity >= 0)) {
            throw new IllegalArgumentException("the maximum timestep disparity must be a number >= 0 in remaining "
                    + "progress (got " + maxDisparity + "); +Infinity turns the limit off");
        }
        blocks = List.copyOf(blocks);
        objectWords = Set.copyOf(objectWords);
    }

    /**
     * From a spec such as {@code quadratic:0.7}, {@code piecewise:0.5:fixed} or {@code exponential:everywhere}; the
     * threshold, blocks and object words are the defaults.
     */
    public static AsynDm parse(String spec) {
        String s = spec.strip().toLowerCase(Locale.ROOT);
        Masks masks = Masks.DYNAMIC;
        for (Masks m : Masks.values()) {
            String suffix = ":" + m.name().toLowerCase(Locale.ROOT);
            if (s.endsWith(suffix)) {
                masks = m;
                s = s.substring(0, s.length() - suffix.length());
                break;
            }
        }
        try {
            return DEFAULT.withConcave(ProgressSchedule.parse(s)).withMasks(masks);
        } catch (IllegalArgumentException e) {
            // the schedule's own message lists forms AsynDM does not take (linear); keep only a strength complaint
            String why = e.getMessage().contains("strength") ? " (" + e.getMessage().replaceFirst("^.*?: ", "")
                    + ")" : "";
            throw new IllegalArgumentException("AsynDM spec '" + spec + "' is not " + FORM + why);
        }
    }

    /** The spec that {@link #parse} reads back (threshold, blocks and object words aside). */
    public String spec() {
        return concave.spec() + ":" + masks.name().toLowerCase(Locale.ROOT);
    }

    public AsynDm withConcave(ProgressSchedule s) {
        return new AsynDm(s, masks, threshold, blocks, objectWords, maxDisparity);
    }

    public AsynDm withMasks(Masks m) {
        return new AsynDm(concave, m, threshold, blocks, objectWords, maxDisparity);
    }

    public AsynDm withThreshold(double t) {
        return new AsynDm(concave, masks, t, blocks, objectWords, maxDisparity);
    }

    public AsynDm withBlocks(List<Integer> b) {
        return new AsynDm(concave, masks, threshold, b, objectWords, maxDisparity);
    }

    public AsynDm withObjectWords(Set<String> words) {
        return new AsynDm(concave, masks, threshold, blocks, words, maxDisparity);
    }

    public AsynDm withMaxDisparity(double d) {
        return new AsynDm(concave, masks, threshold, blocks, objectWords, d);
    }

    @Override
    public Run start(Batch batch) {
        return new AsynDmRun(this, batch);
    }
}
