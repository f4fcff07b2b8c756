package dev.asyncdiff.world;

import java.util.Objects;
import java.util.Optional;

/**
 * One noun phrase of a caption: {@code count} objects of one shape, each with the stated colour, texture and size.
 * An attribute left empty is free: a scene may give it any value.
 */
public record ObjectGroup(int count, Shape shape, Optional<Colour> colour, Optional<Texture> texture,
                          Optional<Size> size) {

    public ObjectGroup {
        if (count < 1 || count > Requirements.MAX_OBJECTS) {
            throw new IllegalArgumentException("an object group holds 1 to " + Requirements.MAX_OBJECTS
                    + " objects (got " + count + ")");
        }
        Objects.requireNonNull(shape, "shape");
        Objects.requireNonNull(colour, "colour (use Optional.empty() for a free colour)");
        Objects.requireNonNull(texture, "texture (use Optional.empty() for a free texture)");
        Objects.requireNonNull(size, "size (use Optional.empty() for a free size)");
    }

    /** One object of this shape, with every other attribute free. */
    public static ObjectGroup of(Shape shape) {
        return new ObjectGroup(1, shape, Optional.empty(), Optional.empty(), Optional.empty());
    }

    public ObjectGroup withCount(int n) {
        return new ObjectGroup(n, shape, colour, texture, size);
    }

    public ObjectGroup withColour(Colour c) {
        return new ObjectGroup(count, shape, Optional.of(c), texture, size);
    }

    public ObjectGroup withTexture(Texture t) {
        return new ObjectGroup(count, shape, colour, Optional.of(t), size);
    }

    public ObjectGroup withSize(Size s) {
        return new ObjectGroup(count, shape, colour, texture, Optional.of(s));
    }
}
