package dev.asyncdiff.world;

/**
 * The shape that best explains an object's opacity map, drawn with its centroid at (x, y) and extent chosen so
 * its area matches the map's mass, and blurred by {@code blur} pixels.
 *
 * @param error sum of squared differences between the map and the blurred drawing over the map's region
 */
record ShapeFit(Shape shape, double x, double y, double extent, double blur, double error) {
}
