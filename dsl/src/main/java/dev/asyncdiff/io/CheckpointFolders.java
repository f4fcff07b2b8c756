package dev.asyncdiff.io;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** Checkpoint folders: flat folders of files that training runs write whole and replace. */
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
}
