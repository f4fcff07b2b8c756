package dev.asyncdiff.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Memory figures from Linux's /proc: this process's peak resident set (VmHWM), and the memory the kernel can give
 * new work without swapping (MemAvailable).
 */
public final class ProcMemory {
    static final Path STATUS = Path.of("/proc/self/status");
    static final Path MEMINFO = Path.of("/proc/meminfo");

    private ProcMemory() {
    }

    /** The peak resident set of this process so far, in bytes. */
    public static long peakResidentBytes() {
        return field(STATUS, "VmHWM");
    }

    /** MemAvailable, in bytes. */
    public static long availableBytes() {
        return field(MEMINFO, "MemAvailable");
    }

    private static long field(Path file, String name) {
        try {
            return kilobytes(Files.readString(file), name) * 1024;
        } catch (IOException e) {
            throw new IllegalStateException("cannot read " + file + " (" + e.getMessage() + "); the memory figures "
                    + "of the backbone benchmark need Linux");
        }
    }

    /** The value of a line {@code NAME:   123 kB} of a /proc file, in kB. */
    static long kilobytes(String text, String name) {
        for (String line : text.split("\n")) {
            if (line.startsWith(name + ":")) {
                String[] parts = line.substring(name.length() + 1).trim().split("\\s+");
                if (parts.length == 2 && parts[1].equals("kB")) {
                    return Long.parseLong(parts[0]);
                }
            }
        }
        throw new IllegalStateException("no '" + name + ": N kB' line where Linux writes one");
    }
}
