package dev.asyncdiff.world;

import java.awt.geom.AffineTransform;
import java.awt.geom.Ellipse2D;
import java.awt.geom.Path2D;
import java.awt.geom.PathIterator;
import java.awt.geom.Rectangle2D;
import java.util.EnumMap;
import java.util.Map;

/**
 * The outline of each shape in unit form — the bounding box's longer side is 1 and the origin is the shape's area
 * centroid — and its placement in an image. Placing by centroid makes a scene's object position the point the
 * oracle measures, so relations mean the same to the sampler and the oracle.
 */
final class ShapeOutline {
    /** The cross's arm width as a fraction of its extent. */
    private static final double CROSS_ARM = 0.36;
    /** The star's inner radius as a fraction of its outer radius: fatter than a pentagram, so tips survive blur. */
    private static final double STAR_INNER = 0.5;
    /** The diamond's width as a fraction of its height. */
    private static final double DIAMOND_WIDTH = 0.8;

    private static final Map<Shape, Path2D> UNIT = new EnumMap<>(Shape.class);
    private static final Map<Shape, Double> UNIT_AREA = new EnumMap<>(Shape.class);

    static {
        for (Shape s : Shape.values()) {
            Path2D unit = normalised(raw(s));
            UNIT.put(s, unit);
            UNIT_AREA.put(s, moments(unit)[0]);
        }
    }

    private ShapeOutline() {
    }

    /** The unit outline's bounds relative to the centroid. */
    static Rectangle2D unitBounds(Shape shape) {
        return UNIT.get(shape).getBounds2D();
    }

    /** The area of the unit outline: an object of extent e covers e² times this. */
    static double unitArea(Shape shape) {
        return UNIT_AREA.get(shape);
    }

    /** The outline with its centroid at (x, y) and its longer bounding-box side {@code extent} pixels. */
    static java.awt.Shape placed(Shape shape, double x, double y, double extent) {
        AffineTransform t = new AffineTransform();
        t.translate(x, y);
        t.scale(extent, extent);
        return t.createTransformedShape(UNIT.get(shape));
    }

    private static Path2D raw(Shape shape) {
        return switch (shape) {
            case CIRCLE -> new Path2D.Double(new Ellipse2D.Double(0, 0, 1, 1));
            case SQUARE -> polygon(0, 0, 1, 0, 1, 1, 0, 1);
            case TRIANGLE -> polygon(0.5, 0, 1, Math.sqrt(3) / 2, 0, Math.sqrt(3) / 2);
            case DIAMOND -> polygon(DIAMOND_WIDTH / 2, 0, DIAMOND_WIDTH, 0.5, DIAMOND_WIDTH / 2, 1, 0, 0.5);
            case CROSS -> cross();
            case STAR -> star();
        };
    }

    private static Path2D cross() {
        double a = (1 - CROSS_ARM) / 2;
        double b = (1 + CROSS_ARM) / 2;
        return polygon(a, 0, b, 0, b, a, 1, a, 1, b, b, b, b, 1, a, 1, a, b, 0, b, 0, a, a, a);
    }

    /** A five-pointed star, one point up: ten vertices alternating between the outer and inner radius. */
    private static Path2D star() {
        double[] xy = new double[20];
        for (int k = 0; k < 10; k++) {
            double angle = -Math.PI / 2 + k * Math.PI / 5;
            double radius = k % 2 == 0 ? 1 : STAR_INNER;
            xy[2 * k] = radius * Math.cos(angle);
            xy[2 * k + 1] = radius * Math.sin(angle);
        }
        return polygon(xy);
    }

    private static Path2D polygon(double... xy) {
        Path2D.Double p = new Path2D.Double();
        p.moveTo(xy[0], xy[1]);
        for (int i = 2; i < xy.length; i += 2) {
            p.lineTo(xy[i], xy[i + 1]);
        }
        p.closePath();
        return p;
    }

    /** Scales the longer bounding-box side to 1 and moves the area centroid to the origin. */
    private static Path2D normalised(Path2D raw) {
        Rectangle2D b = raw.getBounds2D();
        AffineTransform scale = AffineTransform.getScaleInstance(1 / Math.max(b.getWidth(), b.getHeight()),
                1 / Math.max(b.getWidth(), b.getHeight()));
        Path2D scaled = new Path2D.Double(raw, scale);
        double[] m = moments(scaled);
        return new Path2D.Double(scaled, AffineTransform.getTranslateInstance(-m[1], -m[2]));
    }

    /** The area and area centroid (x, y) of a closed outline, by the shoelace formula over its flattened edges. */
    private static double[] moments(Path2D outline) {
        double area = 0;
        double cx = 0;
        double cy = 0;
        double[] p = new double[6];
        double startX = 0;
        double startY = 0;
        double lastX = 0;
        double lastY = 0;
        for (PathIterator it = outline.getPathIterator(null, 1e-4); !it.isDone(); it.next()) {
            int type = it.currentSegment(p);
            if (type == PathIterator.SEG_MOVETO) {
                startX = p[0];
                startY = p[1];
                lastX = p[0];
                lastY = p[1];
                continue;
            }
            double x = type == PathIterator.SEG_CLOSE ? startX : p[0];
            double y = type == PathIterator.SEG_CLOSE ? startY : p[1];
            double cross = lastX * y - x * lastY;
            area += cross;
            cx += (lastX + x) * cross;
            cy += (lastY + y) * cross;
            lastX = x;
            lastY = y;
        }
        return new double[] {Math.abs(area) / 2, cx / (3 * area), cy / (3 * area)};
    }
}
