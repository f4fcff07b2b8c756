package dev.asyncdiff.world;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.Optional;
import java.util.Random;

/**
 * Draws random captions of each {@link Category}. Within one caption every group has a different shape, so each
 * object is named unambiguously. Only {@code Random.nextInt(bound)} and {@code nextDouble()} are used, whose
 * algorithms Java specifies, so a seed gives the same captions on every JVM.
 */
public final class CaptionGrammar {
    /** Counts of the two groups of a two-group numeracy caption. */
    private static final int[][] NUMERACY_PAIRS = {{2, 1}, {1, 2}, {2, 2}, {3, 1}, {1, 3}};

    private CaptionGrammar() {
    }

    /** One random caption of the category. */
    public static Caption sample(Category category, Random rng) {
        Requirements r = switch (category) {
            case COLOUR -> colour(rng);
            case SHAPE -> shape(rng);
            case TEXTURE -> texture(rng);
            case SPATIAL -> spatial(rng);
            case NUMERACY -> numeracy(rng);
            case COMPLEX -> complex(rng);
        };
        return Caption.of(category, r);
    }

    /** One to three objects with distinct shapes and distinct stated colours. */
    private static Requirements colour(Random rng) {
        int n = pickCount(rng, 0.15, 0.55);
        List<Shape> shapes = distinct(Shape.values(), n, rng);
        List<Colour> colours = distinct(Colour.values(), n, rng);
        List<ObjectGroup> groups = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            groups.add(ObjectGroup.of(shapes.get(i)).withColour(colours.get(i)));
        }
        return new Requirements(groups, Optional.empty());
    }

    /** One to three objects named by shape, each with a stated size half the time. */
    private static Requirements shape(Random rng) {
        int n = pickCount(rng, 0.2, 0.5);
        List<ObjectGroup> groups = new ArrayList<>();
        for (Shape s : distinct(Shape.values(), n, rng)) {
            ObjectGroup g = ObjectGroup.of(s);
            groups.add(rng.nextDouble() < 0.5 ? g.withSize(pick(Size.values(), rng)) : g);
        }
        return new Requirements(groups, Optional.empty());
    }

    /** One to three objects with stated textures. */
    private static Requirements texture(Random rng) {
        int n = pickCount(rng, 0.2, 0.6);
        List<ObjectGroup> groups = new ArrayList<>();
        for (Shape s : distinct(Shape.values(), n, rng)) {
            groups.add(ObjectGroup.of(s).withTexture(pick(Texture.values(), rng)));
        }
        return new Requirements(groups, Optional.empty());
    }

    /** Two objects, each with a stated colour half the time, and a relation. */
    private static Requirements spatial(Random rng) {
        List<Shape> shapes = distinct(Shape.values(), 2, rng);
        ObjectGroup[] g = new ObjectGroup[2];
        for (int i = 0; i < 2; i++) {
            g[i] = ObjectGroup.of(shapes.get(i));
            if (rng.nextDouble() < 0.5) {
                g[i] = g[i].withColour(pick(Colour.values(), rng));
            }
        }
        return Requirements.related(g[0], pick(Relation.values(), rng), g[1]);
    }

    /** One group of two to four objects, or two groups with at least one counted above one. */
    private static Requirements numeracy(Random rng) {
        int[] counts = rng.nextDouble() < 0.4
                ? new int[] {2 + rng.nextInt(3)}
                : NUMERACY_PAIRS[rng.nextInt(NUMERACY_PAIRS.length)];
        List<Shape> shapes = distinct(Shape.values(), counts.length, rng);
        List<ObjectGroup> groups = new ArrayList<>();
        for (int i = 0; i < counts.length; i++) {
            ObjectGroup g = ObjectGroup.of(shapes.get(i)).withCount(counts[i]);
            groups.add(rng.nextDouble() < 0.5 ? g.withColour(pick(Colour.values(), rng)) : g);
        }
        return new Requirements(groups, Optional.empty());
    }

    /**
     * Two groups of one or two objects, each with two or three stated attributes among size, texture and colour,
     * joined by a relation (60%) or "and".
     */
    private static Requirements complex(Random rng) {
        List<Shape> shapes = distinct(Shape.values(), 2, rng);
        ObjectGroup[] g = new ObjectGroup[2];
        for (int i = 0; i < 2; i++) {
            g[i] = ObjectGroup.of(shapes.get(i)).withCount(rng.nextDouble() < 0.4 ? 2 : 1);
            int omitted = rng.nextDouble() < 0.3 ? -1 : rng.nextInt(3);
            if (omitted != 0) {
                g[i] = g[i].withSize(pick(Size.values(), rng));
            }
            if (omitted != 1) {
                g[i] = g[i].withTexture(pick(Texture.values(), rng));
            }
            if (omitted != 2) {
                g[i] = g[i].withColour(pick(Colour.values(), rng));
            }
        }
        return rng.nextDouble() < 0.6
                ? Requirements.related(g[0], pick(Relation.values(), rng), g[1])
                : Requirements.of(g[0], g[1]);
    }

    /** 1 with probability p1, 2 with probability p2, else 3. */
    private static int pickCount(Random rng, double p1, double p2) {
        double u = rng.nextDouble();
        return u < p1 ? 1 : u < p1 + p2 ? 2 : 3;
    }

    private static <T> T pick(T[] values, Random rng) {
        return values[rng.nextInt(values.length)];
    }

    private static <T> List<T> distinct(T[] values, int n, Random rng) {
        List<T> all = new ArrayList<>(Arrays.asList(values));
        Collections.shuffle(all, rng);
        return all.subList(0, n);
    }
}
