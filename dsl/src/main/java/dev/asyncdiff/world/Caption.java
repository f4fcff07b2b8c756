package dev.asyncdiff.world;

import java.util.Objects;

/** A caption: its text, the category it was written for, and the requirements the text states. */
public record Caption(String text, Category category, Requirements requirements) {

    public Caption {
        Objects.requireNonNull(text, "text");
        Objects.requireNonNull(category, "category");
        Objects.requireNonNull(requirements, "requirements");
    }

    /** The caption whose text is the canonical wording of {@code requirements}. */
    public static Caption of(Category category, Requirements requirements) {
        return new Caption(CaptionWriter.write(requirements), category, requirements);
    }
}
