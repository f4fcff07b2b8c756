package dev.asyncdiff.cli;

import java.nio.file.Files;
import java.nio.file.Path;

/** The checks of an {@code --out FILE} option, made before any work so that bad input writes nothing. */
final class OutputFile {
    private OutputFile() {
    }

    /**
     * Refuses a folder, a file in a folder that does not exist, and an unwritable folder.
     *
     * @param example a file name to suggest when {@code out} is a folder
     */
    static void check(Path out, String example) {
        Path folder = out.toAbsolutePath().getParent();
        if (Files.isDirectory(out)) {
            throw new IllegalArgumentException("--out " + out + " is a folder; give a file such as "
                    + out.resolve(example));
        }
        if (!Files.isDirectory(folder)) {
            throw new IllegalArgumentException("--out " + out + ": folder " + folder + " does not exist; create it "
                    + "or choose another path");
        }
        if (!Files.isWritable(folder)) {
            throw new IllegalArgumentException("--out " + out + ": folder " + folder + " is not writable");
        }
    }
}
