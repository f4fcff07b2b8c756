package dev.asyncdiff.model.tiny;

import java.nio.file.Path;

/**
 * Which weights a tiny model runs: where they came from ({@code shipped} or a folder) and the first 12 hex digits of
 * the SHA-256 of the weights file, which is what tells two sets of weights apart (the same file shipped or in a
 * folder is the same weights).
 */
public record WeightsIdentity(String source, String sha256) {
    /** The identity of the weights in {@code dir}, or of the shipped ones (null), read from the file. */
    public static WeightsIdentity of(Path dir) {
        return new WeightsIdentity(dir == null ? "shipped" : dir.toString(), TinyNetworks.fingerprint(dir));
    }

    /** Whether both name the same weights file contents, wherever they came from. */
    public boolean sameWeights(WeightsIdentity other) {
        return sha256.equals(other.sha256);
    }

    /** {@code shipped, sha256 0123456789ab}, as run settings record it. */
    @Override
    public String toString() {
        return source + ", sha256 " + sha256;
    }
}
