package dev.asyncdiff.reward;

import java.awt.image.BufferedImage;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The paper's composite reward (Eq. 16): every metric is z-scored within the group of images scored together, and
 * the z-scores are averaged, with weights (equal by default). A metric that is constant within the group carries no
 * preference and contributes 0; a metric that fails or returns a non-finite score is an error naming it.
 */
public final class CompositeReward implements Reward {
    /** A metric's spread below this (relative to its size) counts as constant: z-scores would be rounding noise. */
    private static final double CONSTANT = 1e-12;

    private final List<Reward> metrics;
    private final double[] weights;

    /**
     * @param metrics the metrics, each once
     * @param weights one non-negative weight per metric, not all zero
     */
    public CompositeReward(List<Reward> metrics, double[] weights) {
        if (metrics.isEmpty()) {
            throw new IllegalArgumentException("a composite reward needs at least one metric");
        }
        if (weights.length != metrics.size()) {
            throw new IllegalArgumentException("need one weight per metric (got " + weights.length + " weights for "
                    + metrics.size() + " metrics)");
        }
        double total = 0;
        for (int i = 0; i < weights.length; i++) {
            if (!(weights[i] >= 0) || Double.isInfinite(weights[i])) {
                throw new IllegalArgumentException("the weight of " + metrics.get(i).name() + " must be a finite "
                        + "number ≥ 0 (got " + weights[i] + ")");
            }
            total += weights[i];
        }
        if (total == 0) {
            throw new IllegalArgumentException("at least one metric needs a weight > 0");
        }
        this.metrics = List.copyOf(metrics);
        this.weights = weights.clone();
    }

    /** Equal weights. */
    public static CompositeReward of(List<Reward> metrics) {
        double[] w = new double[metrics.size()];
        java.util.Arrays.fill(w, 1.0);
        return new CompositeReward(metrics, w);
    }

    @Override
    public String name() {
        return "composite";
    }

    @Override
    public boolean needsPrompt() {
        return metrics.stream().anyMatch(Reward::needsPrompt);
    }

    @Override
    public double[] score(List<BufferedImage> images, List<String> prompts) {
        return combine(scoreEach(images, prompts));
    }

    /** Every metric's raw scores, by name, in metric order. */
    public Map<String, double[]> scoreEach(List<BufferedImage> images, List<String> prompts) {
        Map<String, double[]> out = new LinkedHashMap<>();
        for (Reward m : metrics) {
            double[] s;
            try {
                s = m.score(images, prompts);
            } catch (RuntimeException e) {
                throw new IllegalStateException("reward " + m.name() + " failed to score the group: " + e.getMessage(),
                        e);
            }
            if (s.length != images.size()) {
                throw new IllegalStateException("reward " + m.name() + " returned " + s.length + " scores for "
                        + images.size() + " images");
            }
            for (int i = 0; i < s.length; i++) {
                if (!Double.isFinite(s[i])) {
                    throw new IllegalStateException("reward " + m.name() + " returned " + s[i] + " for image " + i);
                }
            }
            out.put(m.name(), s);
        }
        return out;
    }

    /** Eq. 16 on raw scores (one array per metric, in metric order): the weighted mean of the z-scores. */
    public double[] combine(Map<String, double[]> raw) {
        List<double[]> columns = new ArrayList<>(raw.values());
        if (columns.size() != metrics.size()) {
            throw new IllegalArgumentException("need scores of " + metrics.size() + " metrics (got " + columns.size()
                    + ")");
        }
        int n = columns.get(0).length;
        double[] out = new double[n];
        double total = 0;
        for (int m = 0; m < columns.size(); m++) {
            double[] z = zScores(columns.get(m));
            for (int i = 0; i < n; i++) {
                out[i] += weights[m] * z[i];
            }
            total += weights[m];
        }
        for (int i = 0; i < n; i++) {
            out[i] /= total;
        }
        return out;
    }

    /** (s − mean)/std with the population standard deviation; all zero when the scores are constant. */
    public static double[] zScores(double[] s) {
        double mean = 0;
        for (double v : s) {
            mean += v / s.length;
        }
        double var = 0;
        double size = 0;
        for (double v : s) {
            var += (v - mean) * (v - mean) / s.length;
            size = Math.max(size, Math.abs(v));
        }
        double std = Math.sqrt(var);
        double[] z = new double[s.length];
        if (std <= CONSTANT * Math.max(1, size)) {
            return z;
        }
        for (int i = 0; i < s.length; i++) {
            z[i] = (s[i] - mean) / std;
        }
        return z;
    }

    public List<Reward> metrics() {
        return metrics;
    }
}
