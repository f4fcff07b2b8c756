package dev.asyncdiff.world;

/**
 * Where an object's texture pattern starts, and which way stripes run: the pattern's tile is anchored at
 * (offsetX, offsetY), both in [0, tile size). Plain objects ignore it.
 */
public record TexturePlacement(int offsetX, int offsetY, boolean horizontalStripes) {

    public TexturePlacement {
        if (offsetX < 0 || offsetY < 0) {
            throw new IllegalArgumentException("texture offsets must be ≥ 0 (got " + offsetX + ", " + offsetY + ")");
        }
    }
}
