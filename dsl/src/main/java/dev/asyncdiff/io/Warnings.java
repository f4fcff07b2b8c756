package dev.asyncdiff.io;

import java.util.HashSet;
import java.util.Set;

/**
 * Warnings for mistakes that would otherwise go unnoticed but are not errors (a TPM sampled under another bound or on
 * other base weights than it was trained for): one line on stderr, each distinct message once per JVM, so that an
 * evaluation that loads the same policy for every cell says it once.
 */
public final class Warnings {
    private static final Set<String> SAID = new HashSet<>();

    private Warnings() {
    }

    /** Prints {@code warning: MESSAGE} on stderr unless this JVM has already printed it. */
    public static void once(String message) {
        synchronized (SAID) {
            if (!SAID.add(message)) {
                return;
            }
        }
        System.err.println("warning: " + message);
    }
}
