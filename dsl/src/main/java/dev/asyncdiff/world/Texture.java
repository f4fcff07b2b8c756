package dev.asyncdiff.world;

import java.util.Optional;

/**
 * The four surface textures. Textured objects alternate their colour's primary and second tone:
 * stripes and checks half and half, dots as a sparse lattice on the primary.
 */
public enum Texture {
    PLAIN("plain"),
    STRIPED("striped"),
    DOTTED("dotted"),
    CHECKERED("checkered");

    private final String word;

    Texture(String word) {
        this.word = word;
    }

    public String word() {
        return word;
    }

    /** The texture a caption word names, if any. */
    public static Optional<Texture> fromWord(String word) {
        for (Texture t : values()) {
            if (t.word.equals(word)) {
                return Optional.of(t);
            }
        }
        return Optional.empty();
    }
}
