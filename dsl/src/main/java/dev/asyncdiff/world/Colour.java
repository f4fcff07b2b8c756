package dev.asyncdiff.world;

import java.awt.Color;
import java.util.Optional;

/**
 * The eight colours of the world. Each has a primary tone and a second tone that textures are painted in
 * (a light tint for the dark colours, a dark shade for orange, a light tint for yellow, grey for black and white).
 * All sixteen tones lie far from each other and far from the background greys, so a pixel's colour — and so an
 * object's colour, whatever its texture — is recoverable by the nearest tone.
 */
public enum Colour {
    RED("red", 220, 30, 30, 250, 140, 140),
    ORANGE("orange", 250, 140, 0, 160, 85, 0),
    YELLOW("yellow", 240, 225, 20, 255, 250, 150),
    GREEN("green", 40, 170, 60, 150, 230, 150),
    BLUE("blue", 40, 80, 230, 150, 180, 255),
    PURPLE("purple", 150, 40, 190, 220, 150, 240),
    WHITE("white", 250, 250, 250, 188, 188, 188),
    BLACK("black", 16, 16, 16, 78, 78, 78);

    private final String word;
    private final Color primary;
    private final Color secondTone;

    Colour(String word, int r, int g, int b, int r2, int g2, int b2) {
        this.word = word;
        this.primary = new Color(r, g, b);
        this.secondTone = new Color(r2, g2, b2);
    }

    /** The word captions use for this colour. */
    public String word() {
        return word;
    }

    /** The tone a plain object is filled with. */
    public Color primary() {
        return primary;
    }

    /** The tone of a textured object's stripes, dots or alternate squares. */
    public Color secondTone() {
        return secondTone;
    }

    /** The colour a caption word names, if any. */
    public static Optional<Colour> fromWord(String word) {
        for (Colour c : values()) {
            if (c.word.equals(word)) {
                return Optional.of(c);
            }
        }
        return Optional.empty();
    }
}
