package dev.asyncdiff.world;

import java.awt.geom.Rectangle2D;
import java.util.Objects;

/**
 * One object of a scene.
 *
 * @param x         horizontal position of the shape's area centroid, pixels from the left edge
 * @param y         vertical position of the centroid, pixels from the top edge
 * @param extent    the longer side of the shape's bounding box, pixels
 * @param placement where the texture pattern starts
 */
public record SceneObject(Shape shape, Colour colour, Texture texture, double x, double y, double extent,
                          TexturePlacement placement) {

    public SceneObject {
        Objects.requireNonNull(shape, "shape");
        Objects.requireNonNull(colour, "colour");
        Objects.requireNonNull(texture, "texture");
        Objects.requireNonNull(placement, "placement");
        if (!(extent > 0) || !Double.isFinite(x) || !Double.isFinite(y)) {
            throw new IllegalArgumentException("an object needs a finite position and an extent > 0 (got x " + x
                    + ", y " + y + ", extent " + extent + ")");
        }
    }

    /** The size class of the extent. */
    public Size size() {
        return Size.ofExtent(extent);
    }

    /** The bounding box of the drawn shape, in pixels. */
    public Rectangle2D bounds() {
        return ShapeOutline.placed(shape, x, y, extent).getBounds2D();
    }

    /** The same object in another colour. */
    public SceneObject withColour(Colour c) {
        return new SceneObject(shape, c, texture, x, y, extent, placement);
    }
}
