package dev.asyncdiff.policy;

import dev.asyncdiff.world.CaptionCategories;
import dev.asyncdiff.world.Category;

/**
 * What a distilled policy reads at step k ≥ 1 of a K-step grid: k, the grid time t_k, K and the prompt's category (a
 * world caption's, or {@link #OTHER}), named as Tribuo features; the category is one-hot ({@code category=colour}).
 */
public record StepFeatures(int k, double t, int steps, String category) {
    /** The category of any prompt that is not a caption of the world's splits. */
    public static final String OTHER = "other";

    /** Step {@code k}'s features for row {@code row} of a policy's input. */
    public static StepFeatures of(PolicyInput in, int row) {
        return new StepFeatures(in.step(), in.grid()[in.step()], in.grid().length - 1, categoryOf(in.prompts().get(row)));
    }

    /** A world caption's category label, or {@link #OTHER}. */
    public static String categoryOf(String prompt) {
        return CaptionCategories.of(prompt).map(Category::label).orElse(OTHER);
    }

    public String[] names() {
        return new String[] {"k", "t", "steps", "category=" + category};
    }

    public double[] values() {
        return new double[] {k, t, steps, 1};
    }
}
