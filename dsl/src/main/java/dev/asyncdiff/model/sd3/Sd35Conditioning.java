package dev.asyncdiff.model.sd3;

import ai.djl.ndarray.NDManager;
import dev.asyncdiff.model.Conditioning;
import dev.asyncdiff.model.ResidentText;

import java.util.Arrays;
import java.util.Collections;
import java.util.List;

/**
 * Encoded prompts of SD3.5, one row per sample: the joint text tokens [S·D] (row-major [S, D]: 77 CLIP columns, then
 * the T5 tokens), the pooled embedding [P], and the word each token column stands for ("" for padding), so that
 * attention columns can be tied back to words.
 */
public record Sd35Conditioning(float[][] context, float[][] pooled, List<List<String>> words, ResidentText resident)
        implements Conditioning {

    public Sd35Conditioning(float[][] context, float[][] pooled, List<List<String>> words) {
        this(context, pooled, words, null);
    }

    /** The text as native arrays: the resident ones, or uploaded into {@code m} for one call. */
    ResidentText text(NDManager m, int width) {
        return resident != null ? resident : ResidentText.upload(m, context, pooled, width);
    }

    public Sd35Conditioning {
        if (context.length != pooled.length || context.length != words.size()) {
            throw new IllegalArgumentException("conditioning rows disagree: " + context.length + " token rows, "
                    + pooled.length + " pooled, " + words.size() + " word lists");
        }
        words = List.copyOf(words);
    }

    /** The same rows with {@code r} resident. */
    Sd35Conditioning with(ResidentText r) {
        return new Sd35Conditioning(context, pooled, words, r);
    }

    @Override
    public int size() {
        return context.length;
    }

    @Override
    public Conditioning concat(Conditioning other) {
        if (!(other instanceof Sd35Conditioning o)) {
            throw new IllegalArgumentException("cannot join SD3.5's conditioning with "
                    + other.getClass().getSimpleName());
        }
        return new Sd35Conditioning(Conditioning.join(context, o.context), Conditioning.join(pooled, o.pooled),
                Conditioning.join(words, o.words));
    }

    /** The same row {@code n} times. */
    Sd35Conditioning repeat(int n) {
        float[][] c = new float[n][];
        float[][] p = new float[n][];
        Arrays.fill(c, context[0]);
        Arrays.fill(p, pooled[0]);
        return new Sd35Conditioning(c, p, Collections.nCopies(n, words.get(0)));
    }
}
