package dev.asyncdiff.model.flux;

import ai.djl.ndarray.NDManager;
import dev.asyncdiff.model.Conditioning;
import dev.asyncdiff.model.ResidentText;

import java.util.Arrays;
import java.util.Collections;
import java.util.List;

/**
 * Encoded prompts of Flux.1, one row per sample: T5's tokens [S·D] (row-major [S, D]), CLIP-L's pooled embedding
 * [P], the distilled guidance scale each row is sampled at (NaN until {@link #withGuidance} sets it), and the word
 * each token column stands for ("" for padding).
 */
public record FluxConditioning(float[][] context, float[][] pooled, double[] guidance, List<List<String>> words,
                               ResidentText resident) implements Conditioning {

    public FluxConditioning(float[][] context, float[][] pooled, double[] guidance, List<List<String>> words) {
        this(context, pooled, guidance, words, null);
    }

    /** The text as native arrays: the resident ones, or uploaded into {@code m} for one call. */
    ResidentText text(NDManager m, int width) {
        return resident != null ? resident : ResidentText.upload(m, context, pooled, width);
    }

    public FluxConditioning {
        if (context.length != pooled.length || context.length != guidance.length || context.length != words.size()) {
            throw new IllegalArgumentException("conditioning rows disagree: " + context.length + " token rows, "
                    + pooled.length + " pooled, " + guidance.length + " guidance scales, " + words.size()
                    + " word lists");
        }
        words = List.copyOf(words);
    }

    /** Rows without a guidance scale yet. */
    static FluxConditioning unguided(float[][] context, float[][] pooled, List<List<String>> words) {
        double[] g = new double[context.length];
        Arrays.fill(g, Double.NaN);
        return new FluxConditioning(context, pooled, g, words);
    }

    /** The same rows with {@code r} resident. */
    FluxConditioning with(ResidentText r) {
        return new FluxConditioning(context, pooled, guidance, words, r);
    }

    @Override
    public int size() {
        return context.length;
    }

    /** The same rows, each at guidance scale {@code scale}. */
    public FluxConditioning withGuidance(double scale) {
        double[] g = new double[context.length];
        Arrays.fill(g, scale);
        return new FluxConditioning(context, pooled, g, words);
    }

    @Override
    public Conditioning concat(Conditioning other) {
        if (!(other instanceof FluxConditioning o)) {
            throw new IllegalArgumentException("cannot join Flux's conditioning with "
                    + other.getClass().getSimpleName());
        }
        double[] g = Arrays.copyOf(guidance, guidance.length + o.guidance.length);
        System.arraycopy(o.guidance, 0, g, guidance.length, o.guidance.length);
        return new FluxConditioning(Conditioning.join(context, o.context), Conditioning.join(pooled, o.pooled), g,
                Conditioning.join(words, o.words));
    }

    /** The first row {@code n} times. */
    FluxConditioning repeat(int n) {
        float[][] c = new float[n][];
        float[][] p = new float[n][];
        double[] g = new double[n];
        Arrays.fill(c, context[0]);
        Arrays.fill(p, pooled[0]);
        Arrays.fill(g, guidance[0]);
        return new FluxConditioning(c, p, g, Collections.nCopies(n, words.get(0)));
    }
}
