package dev.asyncdiff.world;

/**
 * An object the oracle found in an image, with what it measured.
 *
 * @param x      horizontal centroid of the object's opacity, pixels from the left edge
 * @param y      vertical centroid, pixels from the top edge
 * @param extent the longer side of the bounding box of the fitted shape, pixels
 */
public record Detection(Shape shape, Colour colour, Texture texture, Size size, double x, double y, double extent) {
}
