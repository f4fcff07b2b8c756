package dev.asyncdiff.model.checkpoint;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import com.google.gson.JsonParser;
import dev.asyncdiff.bench.Discrepancy;
import dev.asyncdiff.io.Safetensors;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * What the parity tests of the real components share: random weights under a manifest's real key names, written as a
 * component folder in F32 or BF16, a run of one of bench/reference's independent PyTorch references on the same
 * folder, and the comparison against the target.
 */
public final class ReferenceParity {
    /** Largest relative error allowed: max|java − reference| / max|reference|. */
    public static final double TARGET = 1e-4;

    private ReferenceParity() {
    }

    /**
     * Weights of a useful scale for every non-optional tensor of a manifest: fan-in scaled matrices and kernels,
     * norm scales around 1, other vectors around 0, embedding tables of standard deviation 0.5.
     */
    public record RandomWeights(Map<String, long[]> shapes, Map<String, float[]> values) {
        /** Random weights for the manifest of this architecture under this config.json text. */
        public static RandomWeights of(Architecture a, String config, SplittableRandom r) {
            return of(a.manifest(new ComponentConfig(Path.of(ComponentConfig.FILE),
                    JsonParser.parseString(config).getAsJsonObject())), r);
        }

        public static RandomWeights of(Manifest manifest, SplittableRandom r) {
            Map<String, long[]> shapes = new LinkedHashMap<>();
            Map<String, float[]> values = new LinkedHashMap<>();
            for (ExpectedTensor e : manifest.tensors().values()) {
                if (e.role() != ExpectedTensor.Role.OPTIONAL) {
                    shapes.put(e.name(), e.shape());
                    values.put(e.name(), random(r, e.name(), e.shape()));
                }
            }
            return new RandomWeights(shapes, values);
        }

        private static float[] random(SplittableRandom r, String name, long[] s) {
            if (s.length == 1 && name.contains("norm") && name.endsWith(".weight")) {
                float[] v = gaussian(r, s, 0.2);
                for (int i = 0; i < v.length; i++) {
                    v[i] += 1;
                }
                return v;
            }
            if (s.length == 1) {
                return gaussian(r, s, 0.1);
            }
            if (name.endsWith("embedding.weight") || name.equals("shared.weight")
                    || name.endsWith("relative_attention_bias.weight") || name.equals("pos_embed.pos_embed")) {
                return gaussian(r, s, 0.5);
            }
            long fanIn = 1;
            for (int i = 1; i < s.length; i++) {
                fanIn *= s[i];
            }
            return gaussian(r, s, 1 / Math.sqrt(fanIn));
        }

        /** The same weights with one tensor replaced. */
        public RandomWeights with(String key, float[] v) {
            Map<String, float[]> changed = new LinkedHashMap<>(values);
            changed.put(key, v);
            return new RandomWeights(shapes, changed);
        }

        /** A component folder {@code dir}: this config.json and these weights as {@code file} in this dtype. */
        public Path write(Path dir, String config, String file, String dtype) throws IOException {
            Files.createDirectories(dir);
            Files.writeString(dir.resolve(ComponentConfig.FILE), config);
            FakeCheckpoints.withData(dir.resolve(file), shapes, values, dtype);
            return dir;
        }
    }

    /** Independent standard normals (Box–Muller from two uniforms) times {@code std}. */
    public static float[] gaussian(SplittableRandom r, long[] shape, double std) {
        float[] v = new float[Math.toIntExact(TensorEntry.elements(shape))];
        for (int i = 0; i < v.length; i++) {
            v[i] = (float) (std * Math.sqrt(-2 * Math.log(1 - r.nextDouble())) * Math.cos(2 * Math.PI * r.nextDouble()));
        }
        return v;
    }

    public static Safetensors.Tensor tensor(long[] shape, float[] data) {
        int[] s = new int[shape.length];
        for (int i = 0; i < s.length; i++) {
            s[i] = Math.toIntExact(shape[i]);
        }
        return new Safetensors.Tensor(s, data);
    }

    public static NDArray array(NDManager m, Safetensors.Tensor t) {
        return m.create(t.data(), shape(t));
    }

    /** Token ids stored as floats (exact below 2²⁴) → an INT64 array. */
    public static NDArray ids(NDManager m, Safetensors.Tensor t) {
        return m.create(t.data(), shape(t)).toType(DataType.INT64, false);
    }

    private static Shape shape(Safetensors.Tensor t) {
        long[] shape = new long[t.shape().length];
        for (int i = 0; i < shape.length; i++) {
            shape[i] = t.shape()[i];
        }
        return new Shape(shape);
    }

    /**
     * Runs {@code bench/reference/SCRIPT WEIGHTS_DIR RUN_DIR} on these inputs (written to RUN_DIR/inputs.safetensors)
     * with Debian's python3-torch and returns what it wrote to RUN_DIR/reference.safetensors.
     */
    public static Map<String, Safetensors.Tensor> reference(String script, Path weightsDir,
                                                            Map<String, Safetensors.Tensor> inputs)
            throws IOException, InterruptedException {
        Path run = Files.createTempDirectory(weightsDir, "run");
        Files.write(run.resolve("inputs.safetensors"), Safetensors.encode(inputs));
        Path path = Path.of(System.getProperty("basedir", ".")).resolve("../bench/reference/" + script).normalize();
        String python = Files.isExecutable(Path.of("/usr/bin/python3")) ? "/usr/bin/python3" : "python3";
        Process p = new ProcessBuilder(List.of(python, path.toString(), weightsDir.toString(), run.toString()))
                .redirectErrorStream(true).redirectOutput(run.resolve("log.txt").toFile()).start();
        assertTrue(p.waitFor(300, TimeUnit.SECONDS), "the reference did not finish in 300 s");
        assertEquals(0, p.exitValue(), () -> path + " failed (needs python3-torch): " + log(run));
        return Safetensors.decode(Files.readAllBytes(run.resolve("reference.safetensors")));
    }

    private static String log(Path run) {
        try {
            return Files.readString(run.resolve("log.txt"));
        } catch (IOException e) {
            return e.getMessage();
        }
    }

    /** Asserts that {@code java} is within the target of {@code reference}, naming {@code what} if not. */
    public static Discrepancy assertWithinTarget(String what, float[] java, float[] reference) {
        Discrepancy d = Discrepancy.between(java, reference);
        assertTrue(d.maxRel() <= TARGET, what + ": " + d);
        return d;
    }
}
