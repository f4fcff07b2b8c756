package dev.asyncdiff.eval;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** A method spec becomes one file name, also when it names a policy by its path (a figure was once written there). */
class FolderNameTest {
    @TempDir
    Path dir;

    @Test
    void aSpecWithAPathIsOneNameThatAFileCanBeWrittenUnder() throws Exception {
        String name = Evaluation.folderName("tpm:/tmp/runs/lr-3e-4/tpm");
        assertEquals(1, Path.of(name).getNameCount(), name);
        Path figure = dir.resolve("deviation-10-" + name + ".png");
        Files.writeString(figure, "x");
        assertTrue(Files.isRegularFile(figure));
        assertEquals(dir, figure.getParent());
    }

    @Test
    void plainSpecsKeepTheirEarlierNamesAndDifferentPathsStayApart() {
        assertEquals("fixed_0.3_gamma-2", Evaluation.folderName("fixed:0.3:gamma=2"));
        assertNotEquals(Evaluation.folderName("tpm:/a/b/tpm"), Evaluation.folderName("tpm:/a/c/tpm"));
    }
}
