package dev.asyncdiff.data;

import java.util.Objects;
import java.util.OptionalInt;

/**
 * A parsed prompt-set spec: a source and, optionally, how many of its prompts to keep (the first N).
 *
 * @param first N, when the spec ends in {@code :N}
 */
public record PromptSpec(PromptSource source, OptionalInt first) {

    public PromptSpec {
        Objects.requireNonNull(source, "source");
        Objects.requireNonNull(first, "first (use OptionalInt.empty() for all prompts)");
    }

    /** All prompts of a source. */
    public static PromptSpec of(PromptSource source) {
        return new PromptSpec(source, OptionalInt.empty());
    }

    /** The spec's text, which {@link PromptSets#parse} reads back: {@code coco:val}, {@code coco:val:512}. */
    public String text() {
        return source.spec() + (first.isPresent() ? ":" + first.getAsInt() : "");
    }

    /** The prompts the spec names. */
    public PromptSet load() {
        PromptSet all = source.load();
        if (first.isEmpty()) {
            return all;
        }
        try {
            return all.first(first.getAsInt());
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("bad prompt set '" + text() + "': " + e.getMessage(), e);
        }
    }

    @Override
    public String toString() {
        return text();
    }
}
