package dev.asyncdiff.kernel;

import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class KernelSpecsTest {
    @Test
    void aPrefixInstallWritesAMessageInterruptibleHeadlessOfflineSpecUnderShareJupyterKernels(@TempDir Path p)
            throws Exception {
        Path data = new KernelSpecs.Location.Prefix(p).dataDir();
        Path dir = KernelSpecs.install(data, "asyncdiff", KernelSpecs.argv());
        assertEquals(p.resolve("share/jupyter/kernels/asyncdiff"), dir);
        JsonObject spec = JsonParser.parseString(Files.readString(dir.resolve("kernel.json"))).getAsJsonObject();
        assertEquals("Java (asyncdiff)", spec.get("display_name").getAsString());
        assertEquals("message", spec.get("interrupt_mode").getAsString());
        assertEquals("java", spec.get("language").getAsString());
        List<String> argv = spec.getAsJsonArray("argv").asList().stream().map(j -> j.getAsString()).toList();
        assertTrue(Path.of(argv.get(0)).isAbsolute() && argv.get(0).endsWith("java"), argv::toString);
        assertTrue(argv.containsAll(List.of("-Djava.awt.headless=true", "-Dai.djl.offline=true")), argv::toString);
        assertEquals("{connection_file}", argv.get(argv.size() - 1));
        assertTrue(argv.containsAll(KernelSpecs.TUNING_FLAGS), argv::toString);
        JsonObject env = spec.getAsJsonObject("env");
        assertEquals("PASSIVE", env.get("OMP_WAIT_POLICY").getAsString());
        assertEquals(KernelSpecs.ENV.keySet(), env.keySet());
    }

    @Test
    void theKernelsEnvironmentIsTheOneTheLauncherSetsForEveryOtherJvm() throws Exception {
        Pattern export = Pattern.compile("^export (\\w+)=\"\\$\\{\\1:-([^}]*)}\"$");
        Map<String, String> launcher = new TreeMap<>();
        for (String line : Files.readAllLines(Path.of("..", "asyncdiff"))) {
            Matcher m = export.matcher(line);
            if (m.matches()) {
                launcher.put(m.group(1), m.group(2));
            }
        }
        assertEquals(launcher, KernelSpecs.ENV);
    }

    @Test
    void otherJavaOptionsReplaceTheTuningButNotHeadlessOrOffline() {
        List<String> argv = KernelSpecs.argv(KernelCommand.jvmOptions("--java-options", " -XX:+UseG1GC  -Xmx2g "));
        assertTrue(argv.containsAll(List.of("-XX:+UseG1GC", "-Xmx2g", "-Djava.awt.headless=true",
                "-Dai.djl.offline=true")), argv::toString);
        assertFalse(argv.contains("-XX:+UseSerialGC"), argv::toString);
        assertFalse(argv.contains("-XX:TieredStopAtLevel=1"), argv::toString);
        assertTrue(argv.indexOf("-Xmx2g") < argv.indexOf("{connection_file}"), argv::toString);
    }

    @Test
    void javaOptionsThatAreNotOptionsAreRefusedInOneLine() {
        for (String bad : List.of("", "  ", "-Xmx2g UseG1GC")) {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                    () -> KernelCommand.jvmOptions("--java-options", bad));
            assertTrue(e.getMessage().startsWith("--java-options takes JVM options that start with '-'"),
                    e.getMessage());
            assertFalse(e.getMessage().contains("\n"));
        }
    }

    @Test
    void uninstallRemovesTheSpecOnlyWhereItIs(@TempDir Path p) throws Exception {
        Path a = p.resolve("a");
        Path b = p.resolve("b");
        KernelSpecs.install(a, "asyncdiff", List.of("java", "{connection_file}"));
        assertEquals(List.of(a.resolve("kernels/asyncdiff")), KernelSpecs.uninstall(List.of(a, b), "asyncdiff"));
        assertFalse(Files.exists(a.resolve("kernels/asyncdiff")));
        assertEquals(List.of(), KernelSpecs.uninstall(List.of(a, b), "asyncdiff"));
    }
}
