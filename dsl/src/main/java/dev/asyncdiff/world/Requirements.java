package dev.asyncdiff.world;

import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * What a caption asks of an image: its object groups, in caption order, and at most one relation, which reads
 * "group 0 RELATION group 1". A scene holds exactly the objects the groups describe, no others.
 */
public record Requirements(List<ObjectGroup> groups, Optional<Relation> relation) {

    /** The most objects one 64×64 scene holds. */
    public static final int MAX_OBJECTS = 4;

    /** The most objects on one side of a relation: each side has half the image. */
    public static final int MAX_PER_RELATION_SIDE = 2;

    public Requirements {
        groups = List.copyOf(groups);
        Objects.requireNonNull(relation, "relation (use Optional.empty() for none)");
        if (groups.isEmpty()) {
            throw new IllegalArgumentException("a caption must name at least one object");
        }
        int total = groups.stream().mapToInt(ObjectGroup::count).sum();
        if (total > MAX_OBJECTS) {
            throw new IllegalArgumentException("a scene holds at most " + MAX_OBJECTS + " objects (the caption asks for "
                    + total + "); name fewer objects");
        }
        if (relation.isPresent()) {
            if (groups.size() != 2) {
                throw new IllegalArgumentException("a relation joins exactly two object groups (got " + groups.size()
                        + "); write captions like 'a red circle left of a blue square'");
            }
            for (ObjectGroup g : groups) {
                if (g.count() > MAX_PER_RELATION_SIDE) {
                    throw new IllegalArgumentException("each side of a relation holds at most " + MAX_PER_RELATION_SIDE
                            + " objects (got " + g.count() + " " + g.shape().plural() + ")");
                }
            }
        }
    }

    /** Groups joined by "and". */
    public static Requirements of(ObjectGroup... groups) {
        return new Requirements(List.of(groups), Optional.empty());
    }

    /** "subject RELATION object". */
    public static Requirements related(ObjectGroup subject, Relation relation, ObjectGroup object) {
        return new Requirements(List.of(subject, object), Optional.of(relation));
    }

    /** The number of objects the scene must hold. */
    public int objectCount() {
        return groups.stream().mapToInt(ObjectGroup::count).sum();
    }
}
