package dev.asyncdiff.eval;

import java.util.Map;

/**
 * One generated image of a method comparison: its prompt and sample index (prompt-major over all prompts and
 * samples; it fixes the initial noise, the same for every method, so equal indices pair images across methods), the
 * step count and method, the mean deviation D of Eq. 11 over its steps k ≥ 1, and each reward's score.
 */
public record ImageScore(String prompt, int sample, int steps, String method, double meanDeviation,
                         Map<String, Double> scores) {
    public ImageScore {
        scores = java.util.Collections.unmodifiableMap(new java.util.LinkedHashMap<>(scores));
    }
}
