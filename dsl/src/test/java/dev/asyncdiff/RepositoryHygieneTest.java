package dev.asyncdiff;

import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.charset.MalformedInputException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The project's own text files hold no unresolved merge: a README with conflict markers once reached main. */
class RepositoryHygieneTest {
    private static final Path ROOT = Path.of(System.getProperty("basedir", ".")).resolve("..").normalize();
    private static final Set<String> SKIPPED = Set.of(".git", "target", "node_modules", "runs");
    private static final Set<String> TEXT = Set.of(".java", ".md", ".py", ".xml", ".sh", ".jsh", ".ipynb", ".json");

    @Test
    void noTextFileHoldsMergeConflictMarkers() throws IOException {
        assertTrue(Files.exists(ROOT.resolve("README.md")), "the repository root is " + ROOT);
        List<String> found = new ArrayList<>();
        try (Stream<Path> files = Files.walk(ROOT)) {
            for (Path f : files.filter(Files::isRegularFile).filter(RepositoryHygieneTest::checked).toList()) {
                List<String> lines;
                try {
                    lines = Files.readAllLines(f);
                } catch (MalformedInputException e) {
                    continue;
                }
                for (int i = 0; i < lines.size(); i++) {
                    String l = lines.get(i);
                    if (l.startsWith("<<<<<<< ") || l.startsWith(">>>>>>> ") || l.equals("=======")) {
                        found.add(ROOT.relativize(f) + ":" + (i + 1) + ": " + l);
                    }
                }
            }
        }
        assertEquals(List.of(), found);
    }

    private static boolean checked(Path f) {
        for (Path part : ROOT.relativize(f)) {
            if (SKIPPED.contains(part.toString())) {
                return false;
            }
        }
        String name = f.getFileName().toString();
        return TEXT.stream().anyMatch(name::endsWith);
    }
}
