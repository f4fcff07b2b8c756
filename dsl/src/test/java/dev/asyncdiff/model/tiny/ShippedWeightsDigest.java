package dev.asyncdiff.model.tiny;

import java.io.InputStream;
import java.security.MessageDigest;
import java.util.HexFormat;

/** The shipped tiny weights' SHA-256, computed in the tests from the resource itself (independently of the model). */
public final class ShippedWeightsDigest {
    private ShippedWeightsDigest() {
    }

    /** The first 12 hex digits of the SHA-256 of the shipped {@code tiny.safetensors}. */
    public static String sha256() throws Exception {
        try (InputStream in = ShippedWeightsDigest.class.getResourceAsStream("/dev/asyncdiff/tiny/tiny.safetensors")) {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(in.readAllBytes()))
                    .substring(0, 12);
        }
    }
}
