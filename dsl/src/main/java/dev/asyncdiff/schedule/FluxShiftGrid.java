package dev.asyncdiff.schedule;

/**
 * Flux's resolution-dependent shift: μ is interpolated linearly in the image-token count from 0.5 at 256 tokens
 * to 1.15 at 4096 tokens, and t' = e^μ / (e^μ + (1/t − 1)) is applied to the uniform grid. The count is of the
 * tokens the transformer sees (Flux packs 2×2 latent patches: 1,024 tokens at 512×512), and the spec names it, so
 * two grids built from different counts never pass for one another.
 */
public record FluxShiftGrid(int imageTokens) implements TimeGrid {
    /** The spec's name; {@code flux-dynamic:N} fixes the token count, bare it is the backbone's. */
    public static final String NAME = "flux-dynamic";
    static final double BASE_SHIFT = 0.5;
    static final double MAX_SHIFT = 1.15;
    static final int BASE_TOKENS = 256;
    static final int MAX_TOKENS = 4096;

    public FluxShiftGrid {
        if (imageTokens < 1) {
            throw new IllegalArgumentException("image token count must be at least 1 (got " + imageTokens + ")");
        }
    }

    /** μ(tokens), linear in the token count through (256, 0.5) and (4096, 1.15). */
    public double mu() {
        double slope = (MAX_SHIFT - BASE_SHIFT) / (MAX_TOKENS - BASE_TOKENS);
        return BASE_SHIFT + slope * (imageTokens - BASE_TOKENS);
    }

    @Override
    public double[] times(int steps) {
        double[] t = TimeGrid.uniform(steps);
        double e = Math.exp(mu());
        for (int k = 0; k < t.length; k++) {
            t[k] = t[k] == 0.0 ? 0.0 : e / (e + (1.0 / t[k] - 1.0));
        }
        return GridCheck.validate(t);
    }

    @Override
    public String spec() {
        return NAME + ":" + imageTokens;
    }
}
