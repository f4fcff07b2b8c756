package dev.asyncdiff.kernel;

import java.io.File;
import java.io.IOException;
import java.net.URI;
import java.nio.file.FileSystemNotFoundException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.jar.JarFile;
import java.util.jar.Manifest;

/**
 * The class path cells compile against. The kernel jar names the CLI jar in its manifest and Surefire hands a test
 * JVM a single manifest-only jar, so the entries of {@code java.class.path} are expanded by following every jar's
 * manifest {@code Class-Path}, the way the JVM itself does.
 */
final class ClassPath {
    private ClassPath() {
    }

    /** This JVM's class path, manifests followed, existing entries only, in order. */
    static List<Path> ofThisJvm() {
        return expand(System.getProperty("java.class.path", ""));
    }

    static List<Path> expand(String classPath) {
        Set<Path> out = new LinkedHashSet<>();
        for (String entry : classPath.split(File.pathSeparator)) {
            if (!entry.isBlank()) {
                add(Path.of(entry).toAbsolutePath().normalize(), out);
            }
        }
        return new ArrayList<>(out);
    }

    /** The entries joined with the platform's separator. */
    static String join(List<Path> entries) {
        return String.join(File.pathSeparator, entries.stream().map(Path::toString).toList());
    }

    private static void add(Path entry, Set<Path> out) {
        if (!Files.exists(entry) || !out.add(entry) || !Files.isRegularFile(entry)) {
            return;
        }
        for (Path referenced : manifestClassPath(entry)) {
            add(referenced, out);
        }
    }

    private static List<Path> manifestClassPath(Path jar) {
        List<Path> out = new ArrayList<>();
        try (JarFile file = new JarFile(jar.toFile())) {
            Manifest manifest = file.getManifest();
            String value = manifest == null ? null : manifest.getMainAttributes().getValue("Class-Path");
            if (value == null) {
                return out;
            }
            URI base = jar.toUri();
            for (String token : value.trim().split("\\s+")) {
                try {
                    out.add(Path.of(base.resolve(token)).normalize()); // tokens are URLs, relative to the jar
                } catch (IllegalArgumentException | FileSystemNotFoundException e) {
                    // A malformed or non-file URL: the JVM skips such entries too.
                }
            }
        } catch (IOException e) {
            // Not a readable jar: nothing to follow.
        }
        return out;
    }
}
