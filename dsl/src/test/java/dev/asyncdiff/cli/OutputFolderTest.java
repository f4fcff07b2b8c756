package dev.asyncdiff.cli;

import com.google.gson.JsonParser;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * A command that writes --out owns it: a rerun replaces the folder an earlier run wrote, and a folder holding other
 * files is refused.
 */
class OutputFolderTest {
    @TempDir
    Path dir;

    private static Set<String> names(Path folder) throws IOException {
        try (Stream<Path> files = Files.list(folder)) {
            return files.map(f -> f.getFileName().toString()).collect(Collectors.toSet());
        }
    }

    private Path gmmSpec() throws IOException {
        return Files.writeString(dir.resolve("spec.json"), "{\"weights\":[1],\"means\":[[0,0]],\"std\":1}");
    }

    @Nested
    class ARerun {
        @Test
        void ofSampleWithFewerSamplesLeavesOnlyItsOwnImages() throws IOException {
            Path out = dir.resolve("out");
            for (String n : new String[] {"3", "1"}) {
                CliRun r = CliRun.of("sample", "--prompt", "a red circle", "--steps", "1", "--n", n, "--out",
                        out.toString());
                assertEquals(0, r.code(), r.err());
            }
            assertEquals(Set.of(OutputFolder.MARKER, "trajectory.json", "latents.safetensors", "sample_0000.png"),
                    names(out));
            assertEquals(1, JsonParser.parseString(Files.readString(out.resolve("trajectory.json"))).getAsJsonObject()
                    .getAsJsonArray("samples").size());
        }

        @Test
        void ofDemoReplacesAFolderThatSampleWrote() throws IOException {
            Path out = dir.resolve("out");
            assertEquals(0, CliRun.of("sample", "--gmm-spec", gmmSpec().toString(), "--prompt", "",
                    "--out", out.toString()).code());
            CliRun r = CliRun.of("demo", "--n", "2", "--steps", "1", "--out", out.toString());
            assertEquals(0, r.code(), r.err());
            assertEquals(Set.of(OutputFolder.MARKER, "grid.png"), names(out));
        }

        @Test
        void intoAnEmptyFolderUsesIt() throws IOException {
            Path out = Files.createDirectory(dir.resolve("empty"));
            CliRun r = CliRun.of("sample", "--gmm-spec", gmmSpec().toString(), "--prompt", "", "--out", out.toString());
            assertEquals(0, r.code(), r.err());
            assertEquals(Set.of(OutputFolder.MARKER, "trajectory.json", "latents.safetensors"), names(out));
        }
    }

    @Test
    void aNewOutFolderHasThePermissionsOfAnyNewFolder() throws IOException {
        assumeTrue(FileSystems.getDefault().supportedFileAttributeViews().contains("posix"), "needs POSIX permissions");
        Path plain = Files.createDirectory(dir.resolve("plain"));
        Path out = dir.resolve("out");
        assertEquals(0, CliRun.of("sample", "--gmm-spec", gmmSpec().toString(), "--prompt", "",
                "--out", out.toString()).code());
        assertEquals(Files.getPosixFilePermissions(plain), Files.getPosixFilePermissions(out));
    }

    @Nested
    class AFolderHoldingOtherFiles {
        @Test
        void isRefusedBySampleAndKeptAsItWas() throws IOException {
            Path out = Files.createDirectory(dir.resolve("notes"));
            Files.writeString(out.resolve("trajectory.json"), "mine");
            CliRun r = CliRun.of("sample", "--gmm-spec", gmmSpec().toString(), "--prompt", "", "--out", out.toString());
            assertRefused(r, out);
        }

        @Test
        void isRefusedByDemoAndKeptAsItWas() throws IOException {
            Path out = Files.createDirectory(dir.resolve("notes"));
            Files.writeString(out.resolve("trajectory.json"), "mine");
            assertRefused(CliRun.of("demo", "--out", out.toString()), out);
        }

        private void assertRefused(CliRun r, Path out) throws IOException {
            assertEquals(2, r.code(), r.err());
            assertEquals(1, r.err().strip().lines().count(), r.err());
            assertTrue(r.err().contains("pass a new or empty folder"), r.err());
            assertEquals(Set.of("trajectory.json"), names(out));
            assertEquals("mine", Files.readString(out.resolve("trajectory.json")));
            Set<String> beside = names(dir);
            assertTrue(Set.of("spec.json", "notes").containsAll(beside), () -> "left beside it: " + beside);
        }
    }
}
