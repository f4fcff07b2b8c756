package dev.asyncdiff.world;

import java.awt.geom.Rectangle2D;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Optional;
import java.util.Random;

/**
 * Samples a concrete {@link Scene} that satisfies a caption's requirements by construction, with free variation
 * in everything the caption leaves open: unstated colours, textures and sizes, exact extents, positions, texture
 * phase and stripe direction, and the background.
 *
 * <p>Layout: each object gets its own cell of the image — the whole image, a half or a quadrant — so objects never
 * overlap; cells are at least 32×32, which holds the largest object with {@link #CELL_MARGIN} to spare on each side.
 * For a relation the subject group takes the half of the image on the relation's side (left half for "left of") and
 * the object group the other half; positions are redrawn until the relation holds with {@link #RELATION_MARGIN}.
 */
public final class SceneSampler {
    /** Pixels kept free inside each cell's border: neighbouring objects are at least twice this apart. */
    static final double CELL_MARGIN = 2;
    /** Pixels by which a sampled relation must hold, so anti-aliasing or blur cannot flip it. */
    static final double RELATION_MARGIN = 4;
    private static final double LARGE_PROBABILITY = 0.5;
    /**
     * The probability that an object whose caption states no texture is plain (otherwise striped, dotted or
     * checkered, equally likely). Drawing unstated textures uniformly made three of four such objects textured,
     * and a textured star or cross loses its outline to the pattern; see README for the side-by-side run.
     */
    public static final double UNSTATED_PLAIN = 0.75;
    private static final int MAX_ATTEMPTS = 1000;
    private static final int IMAGE = SceneRenderer.SIZE;

    private SceneSampler() {
    }

    /** A scene for the requirements, the same for the same seed. */
    public static Scene sample(Requirements requirements, long seed) {
        return sample(requirements, Seeds.random(seed));
    }

    /** A scene for the requirements, drawing its free variation from {@code rng}. */
    public static Scene sample(Requirements requirements, Random rng) {
        return sample(requirements, rng, UNSTATED_PLAIN);
    }

    /**
     * A scene for the requirements in which an object of unstated texture is plain with probability
     * {@code unstatedPlain} (the world's rule is {@link #UNSTATED_PLAIN}; training runs may compare others).
     */
    public static Scene sample(Requirements requirements, Random rng, double unstatedPlain) {
        checkUnstatedPlain(unstatedPlain, "the share of plain unstated textures");
        List<Cell> cells = cells(requirements, rng);
        List<SceneObject> objects = new ArrayList<>();
        int slot = 0;
        for (ObjectGroup g : requirements.groups()) {
            for (int i = 0; i < g.count(); i++, slot++) {
                objects.add(object(g, cells.get(slot), rng, unstatedPlain));
            }
        }
        for (int attempt = 0; attempt < MAX_ATTEMPTS; attempt++) {
            if (relationHolds(requirements, objects)) {
                return new Scene(background(rng), objects);
            }
            for (int i = 0; i < objects.size(); i++) {
                objects.set(i, reposition(objects.get(i), cells.get(i), rng));
            }
        }
        throw new IllegalStateException("found no layout for '" + CaptionWriter.write(requirements) + "' in "
                + MAX_ATTEMPTS + " attempts; this is a bug in the layout rules");
    }

    /**
     * Whether the requirements' relation, if any, holds between the centroids of the scene's first group and
     * second group with {@link #RELATION_MARGIN} to spare. The objects are listed group by group.
     */
    private static boolean relationHolds(Requirements requirements, List<SceneObject> objects) {
        if (requirements.relation().isEmpty()) {
            return true;
        }
        int n = requirements.groups().get(0).count();
        double[] subject = centroid(objects.subList(0, n));
        double[] object = centroid(objects.subList(n, objects.size()));
        return requirements.relation().get().holds(subject[0], subject[1], object[0], object[1], RELATION_MARGIN);
    }

    private static double[] centroid(List<SceneObject> objects) {
        double x = 0;
        double y = 0;
        for (SceneObject o : objects) {
            x += o.x() / objects.size();
            y += o.y() / objects.size();
        }
        return new double[] {x, y};
    }

    private static SceneObject object(ObjectGroup g, Cell cell, Random rng, double unstatedPlain) {
        Colour colour = g.colour().orElseGet(() -> pick(Colour.values(), rng));
        Texture texture = g.texture().orElseGet(() -> unstatedTexture(rng, unstatedPlain));
        Size size = g.size().orElseGet(() -> rng.nextDouble() < LARGE_PROBABILITY ? Size.LARGE : Size.SMALL);
        double extent = size.minExtent() + rng.nextDouble() * (size.maxExtent() - size.minExtent());
        int tile = SceneRenderer.tileSize(texture);
        TexturePlacement placement = new TexturePlacement(rng.nextInt(tile), rng.nextInt(tile), rng.nextDouble() < 0.5);
        return reposition(new SceneObject(g.shape(), colour, texture, 0, 0, extent, placement), cell, rng);
    }

    /** The object moved to a uniformly random position whose bounding box lies inside the cell's margins. */
    private static SceneObject reposition(SceneObject o, Cell cell, Random rng) {
        Rectangle2D b = ShapeOutline.unitBounds(o.shape());
        double e = o.extent();
        double x = uniform(cell.x0 + CELL_MARGIN - e * b.getMinX(), cell.x1 - CELL_MARGIN - e * b.getMaxX(), rng);
        double y = uniform(cell.y0 + CELL_MARGIN - e * b.getMinY(), cell.y1 - CELL_MARGIN - e * b.getMaxY(), rng);
        return new SceneObject(o.shape(), o.colour(), o.texture(), x, y, e, o.placement());
    }

    /** One cell per object, in caption order. */
    private static List<Cell> cells(Requirements requirements, Random rng) {
        Optional<Relation> relation = requirements.relation();
        if (relation.isPresent()) {
            Relation r = relation.get();
            boolean subjectFirst = r == Relation.LEFT_OF || r == Relation.ABOVE;
            Cell whole = new Cell(0, 0, IMAGE, IMAGE);
            List<Cell> halves = r.horizontal() ? whole.columns() : whole.rows();
            Cell subjectHalf = halves.get(subjectFirst ? 0 : 1);
            Cell objectHalf = halves.get(subjectFirst ? 1 : 0);
            List<Cell> cells = new ArrayList<>(side(subjectHalf, requirements.groups().get(0).count(), r, rng));
            cells.addAll(side(objectHalf, requirements.groups().get(1).count(), r, rng));
            return cells;
        }
        Cell whole = new Cell(0, 0, IMAGE, IMAGE);
        int n = requirements.objectCount();
        List<Cell> cells = switch (n) {
            case 1 -> List.of(whole);
            case 2 -> switch (rng.nextInt(3)) {
                case 0 -> whole.columns();
                case 1 -> whole.rows();
                default -> whole.quadrants();
            };
            default -> whole.quadrants();
        };
        List<Cell> shuffled = new ArrayList<>(cells);
        Collections.shuffle(shuffled, rng);
        return shuffled.subList(0, n);
    }

    /** Cells for one side of a relation: the half itself, or the half split across the relation's axis. */
    private static List<Cell> side(Cell half, int count, Relation r, Random rng) {
        if (count == 1) {
            return List.of(half);
        }
        List<Cell> split = new ArrayList<>(r.horizontal() ? half.rows() : half.columns());
        Collections.shuffle(split, rng);
        return split;
    }

    private static Background background(Random rng) {
        return new Background(
                124 + rng.nextInt(17),
                rng.nextInt(2 * Background.MAX_WARMTH + 1) - Background.MAX_WARMTH,
                rng.nextDouble() * 2 * Math.PI,
                rng.nextDouble() * 8,
                rng.nextDouble() < 0.5 ? 16 : 32,
                rng.nextDouble() * 3,
                rng.nextDouble() * Math.PI,
                8 + rng.nextDouble() * 6,
                rng.nextDouble() * 3);
    }

    private static double uniform(double lo, double hi, Random rng) {
        return lo + rng.nextDouble() * (hi - lo);
    }

    /** The one check of a plain share, a probability; {@code name} says what it is called where it was given. */
    public static double checkUnstatedPlain(double p, String name) {
        if (!(p >= 0 && p <= 1)) {
            throw new IllegalArgumentException(name + " must lie in [0, 1] (got " + p + ")");
        }
        return p;
    }

    private static Texture unstatedTexture(Random rng, double plain) {
        if (rng.nextDouble() < plain) {
            return Texture.PLAIN;
        }
        Texture[] patterns = {Texture.STRIPED, Texture.DOTTED, Texture.CHECKERED};
        return pick(patterns, rng);
    }

    private static <T> T pick(T[] values, Random rng) {
        return values[rng.nextInt(values.length)];
    }

    /** A rectangle of the image, in pixels. */
    private record Cell(double x0, double y0, double x1, double y1) {
        List<Cell> columns() {
            double xm = (x0 + x1) / 2;
            return List.of(new Cell(x0, y0, xm, y1), new Cell(xm, y0, x1, y1));
        }

        List<Cell> rows() {
            double ym = (y0 + y1) / 2;
            return List.of(new Cell(x0, y0, x1, ym), new Cell(x0, ym, x1, y1));
        }

        List<Cell> quadrants() {
            List<Cell> q = new ArrayList<>();
            for (Cell row : rows()) {
                q.addAll(row.columns());
            }
            return q;
        }
    }
}
