package dev.asyncdiff.io;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;

/**
 * Checkpoint folders: flat folders of files that training runs write whole and replace. A new checkpoint is written
 * into a folder beside the current one and swapped in by two renames ({@link #swapIn}); a run stopped between them
 * leaves the previous checkpoint as {@code NAME.old}, which {@link #recover} puts back.
 */
public final class CheckpointFolders {
    private CheckpointFolders() {
    }

    /** Deletes a flat folder (its files, then itself); nothing when it does not exist. */
    public static void delete(Path dir) throws IOException {
        if (!Files.exists(dir)) {
            return;
        }
        try (var files = Files.list(dir)) {
            for (Path f : files.toList()) {
                Files.delete(f);
            }
        }
        Files.delete(dir);
    }

    /** Replaces {@code checkpoint} by the complete folder {@code written}: current → .old, written → current. */
    public static void swapIn(Path written, Path checkpoint) throws IOException {
        Path old = checkpoint.resolveSibling(checkpoint.getFileName() + ".old");
        delete(old);
        if (Files.exists(checkpoint)) {
            Files.move(checkpoint, old, StandardCopyOption.ATOMIC_MOVE);
        }
        Files.move(written, checkpoint, StandardCopyOption.ATOMIC_MOVE);
        delete(old);
    }

    /** After a stop between the two renames of {@link #swapIn}: puts the previous, whole checkpoint back. */
    public static void recover(Path checkpoint) throws IOException {
        Path old = checkpoint.resolveSibling(checkpoint.getFileName() + ".old");
        if (!Files.exists(checkpoint) && Files.exists(old)) {
            Files.move(old, checkpoint);
        }
    }
}
