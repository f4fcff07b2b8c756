package dev.asyncdiff.cli;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.SecureRandom;
import java.util.Comparator;
import java.util.stream.Stream;

/**
 * An {@code --out} folder that a command owns, so it holds exactly one run's files. The run writes into a new
 * folder beside {@code --out} ({@link #dir()}); {@link #commit()} then puts that folder in place of {@code --out}.
 * A failed run leaves {@code --out} as it was. Only a folder that is absent, empty or marked as written by asyncdiff
 * (it holds {@value #MARKER}) is replaced; any other is refused, so no user file is ever deleted.
 */
final class OutputFolder implements AutoCloseable {
    static final String MARKER = ".asyncdiff-output";
    private static final SecureRandom RANDOM = new SecureRandom();

    private final Path out;
    private final Path staging;
    private boolean committed;

    private OutputFolder(Path out, Path staging) {
        this.out = out;
        this.staging = staging;
    }

    /** Checks that {@code out} may be replaced and creates the folder the run writes into. */
    static OutputFolder claim(Path out, String command) {
        Path target = out.toAbsolutePath().normalize();
        requireReplaceable(target, out);
        try {
            Files.createDirectories(target.getParent());
            // Created by name, not by createTempDirectory, whose mode 0700 would become --out's.
            Path staging = Files.createDirectory(sibling(target, "new"));
            Files.writeString(staging.resolve(MARKER), "written by asyncdiff " + command + "; the next run with "
                    + "this --out replaces this folder\n", StandardCharsets.UTF_8);
            return new OutputFolder(target, staging);
        } catch (IOException | SecurityException e) {
            throw new IllegalArgumentException("--out " + out + " cannot be created (" + e.getClass().getSimpleName()
                    + "); choose a writable folder");
        }
    }

    /** Where the run writes its files. */
    Path dir() {
        return staging;
    }

    /** Puts the run's folder in place of {@code --out}; an earlier run's folder there is deleted. */
    void commit() throws IOException {
        requireReplaceable(out, out);
        Path old = null;
        if (Files.exists(out)) {
            old = sibling(out, "old");
            Files.move(out, old, StandardCopyOption.ATOMIC_MOVE);
        }
        try {
            Files.move(staging, out, StandardCopyOption.ATOMIC_MOVE);
        } catch (IOException e) {
            if (old != null) {
                Files.move(old, out, StandardCopyOption.ATOMIC_MOVE);
            }
            throw e;
        }
        committed = true;
        if (old != null) {
            deleteTree(old);
        }
    }

    /** Deletes the run's folder unless it was committed. */
    @Override
    public void close() throws IOException {
        if (!committed) {
            deleteTree(staging);
        }
    }

    /** Refuses a file, or a folder holding anything without the marker; {@code shown} is the path as given. */
    private static void requireReplaceable(Path target, Path shown) {
        if (!Files.exists(target)) {
            return;
        }
        if (!Files.isDirectory(target)) {
            throw new IllegalArgumentException("--out " + shown + " is a file, not a folder; pass a new or empty "
                    + "folder");
        }
        try (DirectoryStream<Path> entries = Files.newDirectoryStream(target)) {
            if (entries.iterator().hasNext() && !Files.isRegularFile(target.resolve(MARKER))) {
                throw new IllegalArgumentException("--out " + shown + " holds files asyncdiff did not write (no "
                        + MARKER + " in it), and a run replaces its whole --out; pass a new or empty folder");
            }
        } catch (IOException e) {
            throw new IllegalArgumentException("--out " + shown + " cannot be read (" + e.getClass().getSimpleName()
                    + "); pass a new or empty folder");
        }
    }

    /** A hidden, unused name beside {@code path}, such as {@code .sample.new-3k9x}. */
    private static Path sibling(Path path, String kind) {
        return path.resolveSibling("." + path.getFileName() + "." + kind + "-"
                + Long.toUnsignedString(RANDOM.nextLong(), 36));
    }

    /** Deletes a folder and everything in it; nothing when it does not exist. */
    static void deleteTree(Path root) throws IOException {
        if (!Files.exists(root)) {
            return;
        }
        try (Stream<Path> paths = Files.walk(root)) {
            for (Path p : paths.sorted(Comparator.reverseOrder()).toList()) {
                Files.delete(p);
            }
        }
    }
}
