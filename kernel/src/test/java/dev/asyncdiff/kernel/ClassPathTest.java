package dev.asyncdiff.kernel;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.File;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.jar.Attributes;
import java.util.jar.JarOutputStream;
import java.util.jar.Manifest;

import static org.junit.jupiter.api.Assertions.assertEquals;

class ClassPathTest {
    static void jar(Path file, String classPath) throws Exception {
        Manifest m = new Manifest();
        m.getMainAttributes().put(Attributes.Name.MANIFEST_VERSION, "1.0");
        if (classPath != null) {
            m.getMainAttributes().put(Attributes.Name.CLASS_PATH, classPath);
        }
        try (OutputStream out = Files.newOutputStream(file); JarOutputStream jar = new JarOutputStream(out, m)) {
            jar.flush();
        }
    }

    @Test
    void manifestClassPathsAreFollowedRelativeToTheirJarAndMissingEntriesSkipped(@TempDir Path dir)
            throws Exception {
        Path kernel = Files.createDirectories(dir.resolve("kernel/target")).resolve("k.jar");
        Path cli = Files.createDirectories(dir.resolve("dsl/target")).resolve("cli.jar");
        Path dep = dir.resolve("dep.jar");
        jar(kernel, "../../dsl/target/cli.jar missing.jar");
        jar(cli, dep.toUri().toString());
        jar(dep, null);
        assertEquals(List.of(kernel, cli, dep), ClassPath.expand(kernel + File.pathSeparator + dep));
    }
}
