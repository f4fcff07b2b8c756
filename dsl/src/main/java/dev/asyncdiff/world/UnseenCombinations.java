package dev.asyncdiff.world;

import java.util.EnumMap;
import java.util.Map;

/**
 * The attribute–shape bindings held out of training captions: each colour, each texture and each size is held out
 * with exactly one shape. Train and val captions never bind a held-out pair; every val_unseen caption binds at
 * least one, so val_unseen measures compositional generalisation. The hold-out is of caption text: scenes for
 * captions that leave an attribute free may still show a held-out pair.
 */
public final class UnseenCombinations {
    private static final Map<Colour, Shape> COLOUR = new EnumMap<>(Map.of(
            Colour.RED, Shape.STAR,
            Colour.ORANGE, Shape.SQUARE,
            Colour.YELLOW, Shape.CIRCLE,
            Colour.GREEN, Shape.DIAMOND,
            Colour.BLUE, Shape.CROSS,
            Colour.PURPLE, Shape.TRIANGLE,
            Colour.WHITE, Shape.TRIANGLE,
            Colour.BLACK, Shape.CIRCLE));
    private static final Map<Texture, Shape> TEXTURE = new EnumMap<>(Map.of(
            Texture.PLAIN, Shape.CROSS,
            Texture.STRIPED, Shape.STAR,
            Texture.DOTTED, Shape.TRIANGLE,
            Texture.CHECKERED, Shape.CIRCLE));
    private static final Map<Size, Shape> SIZE = new EnumMap<>(Map.of(
            Size.SMALL, Shape.CROSS,
            Size.LARGE, Shape.DIAMOND));

    private UnseenCombinations() {
    }

    /** Whether the group binds a held-out colour, texture or size to its shape. */
    public static boolean isHeldOut(ObjectGroup g) {
        return g.colour().map(c -> COLOUR.get(c) == g.shape()).orElse(false)
                || g.texture().map(t -> TEXTURE.get(t) == g.shape()).orElse(false)
                || g.size().map(s -> SIZE.get(s) == g.shape()).orElse(false);
    }

    /** Whether any group of the requirements binds a held-out pair. */
    public static boolean isHeldOut(Requirements r) {
        return r.groups().stream().anyMatch(UnseenCombinations::isHeldOut);
    }
}
