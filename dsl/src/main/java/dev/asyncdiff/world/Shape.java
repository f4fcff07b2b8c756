package dev.asyncdiff.world;

import java.util.Optional;

/** The six shapes of the world, named by a singular and a plural noun. Every shape is drawn upright. */
public enum Shape {
    CIRCLE("circle", "circles"),
    SQUARE("square", "squares"),
    TRIANGLE("triangle", "triangles"),
    STAR("star", "stars"),
    CROSS("cross", "crosses"),
    DIAMOND("diamond", "diamonds");

    private final String singular;
    private final String plural;

    Shape(String singular, String plural) {
        this.singular = singular;
        this.plural = plural;
    }

    public String singular() {
        return singular;
    }

    public String plural() {
        return plural;
    }

    /** The noun for {@code count} objects of this shape. */
    public String noun(int count) {
        return count == 1 ? singular : plural;
    }

    /** The shape a singular noun names, if any. */
    public static Optional<Shape> fromSingular(String word) {
        for (Shape s : values()) {
            if (s.singular.equals(word)) {
                return Optional.of(s);
            }
        }
        return Optional.empty();
    }

    /** The shape a plural noun names, if any. */
    public static Optional<Shape> fromPlural(String word) {
        for (Shape s : values()) {
            if (s.plural.equals(word)) {
                return Optional.of(s);
            }
        }
        return Optional.empty();
    }
}
