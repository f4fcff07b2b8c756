package dev.asyncdiff.model.checkpoint;

import dev.asyncdiff.bench.Discrepancy;
import dev.asyncdiff.io.Safetensors;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Runs a component reference of bench/reference ({@code SCRIPT WEIGHTS_DIR RUN_DIR}: reads RUN_DIR/inputs.safetensors,
 * writes RUN_DIR/reference.safetensors) with Debian's python3-torch, failing the test with the script's log when it
 * fails.
 */
public final class ReferenceScript {
    private ReferenceScript() {
    }

    /** What {@code bench/reference/<name>} wrote for these inputs and the weights in {@code weightsDir}. */
    public static Map<String, Safetensors.Tensor> run(String name, Path weightsDir, Map<String, Safetensors.Tensor> in)
            throws IOException, InterruptedException {
        Path run = Files.createTempDirectory(weightsDir, "run");
        Files.write(run.resolve("inputs.safetensors"), Safetensors.encode(in));
        Path script = Path.of(System.getProperty("basedir", ".")).resolve("../bench/reference/" + name).normalize();
        String python = Files.isExecutable(Path.of("/usr/bin/python3")) ? "/usr/bin/python3" : "python3";
        Process p = new ProcessBuilder(List.of(python, script.toString(), weightsDir.toString(), run.toString()))
                .redirectErrorStream(true).redirectOutput(run.resolve("log.txt").toFile()).start();
        assertTrue(p.waitFor(300, TimeUnit.SECONDS), "the reference did not finish in 300 s");
        assertEquals(0, p.exitValue(), () -> script + " failed (needs python3-torch): " + log(run));
        return Safetensors.decode(Files.readAllBytes(run.resolve("reference.safetensors")));
    }

    /** Asserts that {@code java} is within {@link TransformerParity#TARGET} of {@code reference}, naming what. */
    public static void assertWithinTarget(String what, float[] java, float[] reference) {
        Discrepancy d = Discrepancy.between(java, reference);
        assertTrue(d.maxRel() <= TransformerParity.TARGET, what + ": " + d);
    }

    /** Attention maps [block][sample][image token][text token] in the row-major order the references write. */
    public static float[] flatten(float[][][][] maps) {
        int n = maps.length * maps[0].length * maps[0][0].length * maps[0][0][0].length;
        float[] out = new float[n];
        int at = 0;
        for (float[][][] block : maps) {
            for (float[][] sample : block) {
                for (float[] row : sample) {
                    System.arraycopy(row, 0, out, at, row.length);
                    at += row.length;
                }
            }
        }
        return out;
    }

    private static String log(Path run) {
        try {
            return Files.readString(run.resolve("log.txt"));
        } catch (IOException e) {
            return e.getMessage();
        }
    }
}
