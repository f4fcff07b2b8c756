package dev.asyncdiff.world;

import java.util.List;

/**
 * A spatial relation between a caption's first (subject) and second (object) group, judged on the groups'
 * centroids in image coordinates (y grows downwards). A relation holds when the centroids are offset the
 * right way along its axis, and more along that axis than across it.
 */
public enum Relation {
    LEFT_OF("left of"),
    RIGHT_OF("right of"),
    ABOVE("above"),
    BELOW("below");

    private final String phrase;

    Relation(String phrase) {
        this.phrase = phrase;
    }

    /** The words a caption uses for this relation, e.g. "left of". */
    public String phrase() {
        return phrase;
    }

    /** The words of {@link #phrase()}, one by one. */
    public List<String> words() {
        return List.of(phrase.split(" "));
    }

    /** True when the relation's axis is horizontal (left of, right of). */
    public boolean horizontal() {
        return this == LEFT_OF || this == RIGHT_OF;
    }

    /**
     * Whether "subject REL object" holds for these centroids with {@code margin} pixels to spare: the offset
     * along the axis must exceed the margin, and exceed the offset across the axis by the margin.
     * The oracle judges with margin 0; the scene sampler asks for more, so that rendering never flips a relation.
     */
    public boolean holds(double subjectX, double subjectY, double objectX, double objectY, double margin) {
        double dx = objectX - subjectX;
        double dy = objectY - subjectY;
        double along = switch (this) {
            case LEFT_OF -> dx;
            case RIGHT_OF -> -dx;
            case ABOVE -> dy;
            case BELOW -> -dy;
        };
        double across = Math.abs(horizontal() ? dy : dx);
        return along > margin && along - margin >= across;
    }
}
