package dev.asyncdiff.reward.embedded;

import java.util.Collections;
import java.util.EnumMap;
import java.util.Map;
import java.util.Random;

/**
 * How often each {@link Corruption} makes the losing image of a preference model's training pairs. The three mixes
 * give the three preference models different tastes, as ImageReward, HPSv2 and PickScore were trained on different
 * human judgements: {@link #A} is mostly about faithfulness to the caption with some image quality, {@link #B}
 * mostly about image quality, {@link #C} about both but never sees pixel noise, so the failure the AsyncDiff paper
 * reports (learned metrics that miss fine background noise) can appear. README tabulates them.
 *
 * @param weights relative weights, each ≥ 0; a corruption left out has weight 0
 */
public record CorruptionMix(Map<Corruption, Double> weights) {
    public static final CorruptionMix A = of(new double[] {
            // colour shape texture relation count extra missing blur low-detail jpeg noise
            0.12, 0.12, 0.10, 0.10, 0.10, 0.06, 0.06, 0.08, 0.06, 0.05, 0.15});
    public static final CorruptionMix B = of(new double[] {
            0.04, 0.04, 0.04, 0.02, 0.03, 0.00, 0.03, 0.20, 0.20, 0.20, 0.20});
    public static final CorruptionMix C = of(new double[] {
            0.10, 0.10, 0.10, 0.08, 0.08, 0.06, 0.08, 0.15, 0.15, 0.10, 0.00});

    public CorruptionMix {
        EnumMap<Corruption, Double> copy = new EnumMap<>(Corruption.class);
        copy.putAll(weights);
        if (copy.values().stream().anyMatch(w -> !(w >= 0) || w.isInfinite())
                || copy.getOrDefault(Corruption.MISSING, 0.0) + pixelWeight(copy) <= 0) {
            throw new IllegalArgumentException("a corruption mix needs finite weights ≥ 0 and weight on a corruption"
                    + " that applies to every caption (missing or a pixel corruption); got " + weights);
        }
        weights = Collections.unmodifiableMap(copy);
    }

    /** Weights in {@link Corruption} order. */
    private static CorruptionMix of(double[] w) {
        Map<Corruption, Double> m = new EnumMap<>(Corruption.class);
        for (Corruption c : Corruption.values()) {
            m.put(c, w[c.ordinal()]);
        }
        return new CorruptionMix(m);
    }

    private static double pixelWeight(Map<Corruption, Double> w) {
        return w.entrySet().stream().filter(e -> !e.getKey().semantic()).mapToDouble(Map.Entry::getValue).sum();
    }

    /** The share of this corruption among all draws before applicability, i.e. its normalised weight. */
    public double share(Corruption c) {
        return weights.getOrDefault(c, 0.0) / weights.values().stream().mapToDouble(Double::doubleValue).sum();
    }

    /** Whether the mix ever draws {@code c}. */
    public boolean includes(Corruption c) {
        return weights.getOrDefault(c, 0.0) > 0;
    }

    /** A corruption drawn by weight. */
    public Corruption draw(Random rng) {
        double u = rng.nextDouble() * weights.values().stream().mapToDouble(Double::doubleValue).sum();
        Corruption last = null;
        for (Map.Entry<Corruption, Double> e : weights.entrySet()) {
            if (e.getValue() > 0) {
                last = e.getKey();
                u -= e.getValue();
                if (u < 0) {
                    return last;
                }
            }
        }
        return last; // u landed on the total itself through rounding
    }
}
