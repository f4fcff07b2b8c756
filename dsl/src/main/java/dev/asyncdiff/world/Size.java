package dev.asyncdiff.world;

import java.util.Optional;

/**
 * The two object sizes, as ranges of the extent: the longer side, in pixels, of an object's bounding box.
 * The ranges are far apart so that a blurred or slightly mis-segmented object still falls on the right side
 * of {@link #BOUNDARY}.
 */
public enum Size {
    SMALL("small", 15, 18),
    LARGE("large", 24, 28);

    /** Extents below this are small, above it large: midway between the two ranges. */
    public static final double BOUNDARY = (SMALL.maxExtent + LARGE.minExtent) / 2.0;

    private final String word;
    private final double minExtent;
    private final double maxExtent;

    Size(String word, double minExtent, double maxExtent) {
        this.word = word;
        this.minExtent = minExtent;
        this.maxExtent = maxExtent;
    }

    public String word() {
        return word;
    }

    /** The smallest extent a scene gives an object of this size. */
    public double minExtent() {
        return minExtent;
    }

    /** The largest extent a scene gives an object of this size. */
    public double maxExtent() {
        return maxExtent;
    }

    /** The size class of an object whose bounding box's longer side is {@code extent} pixels. */
    public static Size ofExtent(double extent) {
        return extent < BOUNDARY ? SMALL : LARGE;
    }

    /** The size a caption word names, if any. */
    public static Optional<Size> fromWord(String word) {
        for (Size s : values()) {
            if (s.word.equals(word)) {
                return Optional.of(s);
            }
        }
        return Optional.empty();
    }
}
