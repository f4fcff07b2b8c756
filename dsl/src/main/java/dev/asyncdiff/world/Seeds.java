package dev.asyncdiff.world;

import java.util.Random;

/**
 * Random generators for user-facing seeds. {@link Random} is used because its algorithm is specified, so a seed
 * means the same on every JVM; but its first draws from nearby seeds (0, 1, 2, …) are nearly equal, so seeds are
 * scrambled first with the SplitMix64 finaliser.
 */
final class Seeds {
    private Seeds() {
    }

    /** A generator whose draws for seeds s and s + 1 are unrelated. */
    static Random random(long seed) {
        long z = seed + 0x9E3779B97F4A7C15L;
        z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
        z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
        return new Random(z ^ (z >>> 31));
    }
}
