package dev.asyncdiff.world;

import java.util.Locale;

/** The caption categories, mirroring T2I-CompBench's attribute-binding, spatial, numeracy and complex sets. */
public enum Category {
    /** Objects whose colours are stated: "a blue square and a yellow circle". */
    COLOUR,
    /** Objects named by shape, sometimes with a size: "a large triangle", "a star and a circle". */
    SHAPE,
    /** Objects whose textures are stated: "a striped circle". */
    TEXTURE,
    /** Two objects and a relation: "a red circle left of a green square". */
    SPATIAL,
    /** Counted objects: "three blue triangles", "two circles and a star". */
    NUMERACY,
    /** Counts, several attributes and often a relation: "two striped red squares above a dotted blue circle". */
    COMPLEX;

    /** The lower-case name used in reports and file names. */
    public String label() {
        return name().toLowerCase(Locale.ROOT);
    }
}
