package dev.asyncdiff.world;

import java.util.Locale;

/** What one check of a verdict tests. */
public enum CheckKind {
    /** The image holds as many objects as the caption names. */
    COUNT,
    SHAPE,
    COLOUR,
    TEXTURE,
    SIZE,
    RELATION;

    /** The lower-case name used in reports. */
    public String label() {
        return name().toLowerCase(Locale.ROOT);
    }
}
