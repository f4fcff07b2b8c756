package dev.asyncdiff.reward.embedded;

import dev.asyncdiff.world.Colour;
import dev.asyncdiff.world.ObjectGroup;
import dev.asyncdiff.world.Relation;
import dev.asyncdiff.world.Requirements;
import dev.asyncdiff.world.Shape;
import dev.asyncdiff.world.Texture;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.Random;
import java.util.function.Predicate;
import java.util.function.UnaryOperator;

/**
 * Edits of a caption's requirements that make them false of every scene of the original: one stated attribute
 * changed, the relation reversed, one group's count changed, or one object of a new shape added. Only stated
 * attributes are edited (an unstated colour may already be anything), so the edited caption never describes a scene
 * of the original one. An edit that does not apply to the requirements (no stated colour, no relation, no room for
 * another object) gives nothing.
 */
public enum CaptionEdit {
    /** One stated colour replaced by another colour. */
    COLOUR,
    /** One group's shape replaced by a shape the caption does not name. */
    SHAPE,
    /** One stated texture replaced by another texture. */
    TEXTURE,
    /** The relation reversed: left of ↔ right of, above ↔ below. */
    RELATION,
    /** One group's count one more or one less, where the caption stays valid. */
    COUNT,
    /** One more object, of a shape the caption does not name (captions without a relation and with room left). */
    EXTRA;

    /** The edited requirements, or nothing when this edit does not apply to {@code r}. */
    public Optional<Requirements> apply(Requirements r, Random rng) {
        List<ObjectGroup> groups = new ArrayList<>(r.groups());
        return switch (this) {
            case COLOUR -> replaceIn(r, groups, rng, g -> g.colour().isPresent(),
                    g -> g.withColour(other(Colour.values(), g.colour().orElseThrow(), rng)));
            case SHAPE -> {
                List<Shape> named = groups.stream().map(ObjectGroup::shape).toList();
                yield replaceIn(r, groups, rng, g -> true, g -> new ObjectGroup(g.count(), unnamed(named, rng),
                        g.colour(), g.texture(), g.size()));
            }
            case TEXTURE -> replaceIn(r, groups, rng, g -> g.texture().isPresent(),
                    g -> g.withTexture(other(Texture.values(), g.texture().orElseThrow(), rng)));
            case RELATION -> r.relation().map(rel -> new Requirements(groups, Optional.of(reversed(rel))));
            case COUNT -> count(r, groups, rng);
            case EXTRA -> {
                if (r.relation().isPresent() || r.objectCount() >= Requirements.MAX_OBJECTS) {
                    yield Optional.empty();
                }
                groups.add(ObjectGroup.of(unnamed(groups.stream().map(ObjectGroup::shape).toList(), rng)));
                yield Optional.of(new Requirements(groups, Optional.empty()));
            }
        };
    }

    /** Edits one group, drawn among those the edit applies to. */
    private static Optional<Requirements> replaceIn(Requirements r, List<ObjectGroup> groups, Random rng,
                                                    Predicate<ObjectGroup> applies, UnaryOperator<ObjectGroup> edit) {
        List<Integer> editable = new ArrayList<>();
        for (int i = 0; i < groups.size(); i++) {
            if (applies.test(groups.get(i))) {
                editable.add(i);
            }
        }
        if (editable.isEmpty()) {
            return Optional.empty();
        }
        int i = editable.get(rng.nextInt(editable.size()));
        groups.set(i, edit.apply(groups.get(i)));
        return Optional.of(new Requirements(groups, r.relation()));
    }

    private static Optional<Requirements> count(Requirements r, List<ObjectGroup> groups, Random rng) {
        List<Requirements> options = new ArrayList<>();
        for (int i = 0; i < groups.size(); i++) {
            for (int delta : new int[] {-1, 1}) {
                int n = groups.get(i).count() + delta;
                if (n < 1 || r.objectCount() + delta > Requirements.MAX_OBJECTS
                        || (r.relation().isPresent() && n > Requirements.MAX_PER_RELATION_SIDE)) {
                    continue;
                }
                List<ObjectGroup> edited = new ArrayList<>(groups);
                edited.set(i, groups.get(i).withCount(n));
                options.add(new Requirements(edited, r.relation()));
            }
        }
        return options.isEmpty() ? Optional.empty() : Optional.of(options.get(rng.nextInt(options.size())));
    }

    private static Relation reversed(Relation r) {
        return switch (r) {
            case LEFT_OF -> Relation.RIGHT_OF;
            case RIGHT_OF -> Relation.LEFT_OF;
            case ABOVE -> Relation.BELOW;
            case BELOW -> Relation.ABOVE;
        };
    }

    private static Shape unnamed(List<Shape> named, Random rng) {
        List<Shape> free = Arrays.stream(Shape.values()).filter(s -> !named.contains(s)).toList();
        return free.get(rng.nextInt(free.size()));
    }

    private static <T> T other(T[] values, T current, Random rng) {
        List<T> rest = Arrays.stream(values).filter(v -> v != current).toList();
        return rest.get(rng.nextInt(rest.size()));
    }
}
