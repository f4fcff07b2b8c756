package dev.asyncdiff.model.sd3;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import dev.asyncdiff.bench.Discrepancy;
import dev.asyncdiff.io.Safetensors;
import dev.asyncdiff.model.checkpoint.Architecture;
import dev.asyncdiff.model.checkpoint.ComponentConfig;
import dev.asyncdiff.model.checkpoint.ExpectedTensor;
import dev.asyncdiff.model.checkpoint.FakeCheckpoints;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

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
 * The Java MMDiT agrees with bench/reference/sd3.py, an independent PyTorch implementation, on a small random
 * SD3.5-style configuration stored under the real key names: dual attention in two of three layers, q/k RMSNorm, a
 * non-square latent cropped off-centre from the position table, the context-pre-only last block, per-sample and
 * per-token timesteps. Needs Debian's python3-torch (CI installs it).
 */
class Sd3ParityTest {
    static final double TARGET = 1e-4;
    static final String CONFIG = """
            {"_class_name": "SD3Transformer2DModel", "attention_head_dim": 16, "caption_projection_dim": 32,
             "dual_attention_layers": [0, 1], "in_channels": 4, "joint_attention_dim": 24, "num_attention_heads": 2,
             "num_layers": 3, "out_channels": 4, "patch_size": 2, "pooled_projection_dim": 20,
             "pos_embed_max_size": 6, "qk_norm": "rms_norm", "sample_size": 12}""";
    static final long[] X = {2, 4, 8, 6};
    static final long[] CONTEXT = {2, 5, 24};
    static final long[] POOLED = {2, 20};
    static final float[] T = {700f, 200f};
    /** Image tokens of the latent: (8 / 2) · (6 / 2). */
    static final int TOKENS = 12;

    @TempDir
    static Path tmp;
    static Map<String, long[]> shapes;
    static Map<String, float[]> weights;
    static Map<String, Safetensors.Tensor> inputs;
    static Map<String, Safetensors.Tensor> perTokenInputs;

    @BeforeAll
    static void randomWeightsAndInputs() throws IOException {
        Files.writeString(tmp.resolve(ComponentConfig.FILE), CONFIG);
        shapes = new LinkedHashMap<>();
        weights = new LinkedHashMap<>();
        SplittableRandom r = new SplittableRandom(17);
        for (ExpectedTensor e : Architecture.SD3_TRANSFORMER.manifest(ComponentConfig.read(tmp)).tensors().values()) {
            shapes.put(e.name(), e.shape());
            weights.put(e.name(), random(r, e));
        }
        inputs = new LinkedHashMap<>();
        inputs.put("x", tensor(X, gaussian(r, X, 1)));
        inputs.put("t", new Safetensors.Tensor(new int[] {2}, T));
        inputs.put("context", tensor(CONTEXT, gaussian(r, CONTEXT, 1)));
        inputs.put("pooled", tensor(POOLED, gaussian(r, POOLED, 1)));
        float[] map = new float[2 * TOKENS];
        for (int i = 0; i < map.length; i++) {
            map[i] = (float) (1000 * r.nextDouble());
        }
        perTokenInputs = withTimesteps(new Safetensors.Tensor(new int[] {2, TOKENS}, map));
    }

    static Map<String, Safetensors.Tensor> withTimesteps(Safetensors.Tensor t) {
        Map<String, Safetensors.Tensor> in = new LinkedHashMap<>(inputs);
        in.put("t", t);
        return in;
    }

    /** Weights of a useful scale: fan-in scaled matrices, biases around 0, norm scales around 1, a lively table. */
    static float[] random(SplittableRandom r, ExpectedTensor e) {
        long[] s = e.shape();
        if (e.name().endsWith("norm_q.weight") || e.name().endsWith("norm_k.weight")
                || e.name().contains("norm_added_")) {
            float[] v = gaussian(r, s, 0.2);
            for (int i = 0; i < v.length; i++) {
                v[i] += 1;
            }
            return v;
        }
        if (s.length == 1) {
            return gaussian(r, s, 0.1);
        }
        if (e.name().equals("pos_embed.pos_embed")) {
            return gaussian(r, s, 0.5);
        }
        long fanIn = 1;
        for (int i = 1; i < s.length; i++) {
            fanIn *= s[i];
        }
        return gaussian(r, s, 1 / Math.sqrt(fanIn));
    }

    static float[] gaussian(SplittableRandom r, long[] shape, double std) {
        long n = 1;
        for (long d : shape) {
            n *= d;
        }
        float[] v = new float[(int) n];
        for (int i = 0; i < v.length; i++) {
            // Box–Muller from two uniforms
            v[i] = (float) (std * Math.sqrt(-2 * Math.log(1 - r.nextDouble())) * Math.cos(2 * Math.PI * r.nextDouble()));
        }
        return v;
    }

    static Safetensors.Tensor tensor(long[] shape, float[] data) {
        int[] s = new int[shape.length];
        for (int i = 0; i < s.length; i++) {
            s[i] = (int) shape[i];
        }
        return new Safetensors.Tensor(s, data);
    }

    /** A transformer folder holding these weights in this dtype. */
    static Path folder(String name, Map<String, float[]> values, String dtype) throws IOException {
        Path dir = Files.createDirectories(tmp.resolve(name));
        Files.writeString(dir.resolve(ComponentConfig.FILE), CONFIG);
        FakeCheckpoints.withData(dir.resolve("diffusion_pytorch_model.safetensors"), shapes, values, dtype);
        return dir;
    }

    /** The reference's velocity on these inputs, for the weights in {@code weightsDir}. */
    static float[] reference(Path weightsDir, Map<String, Safetensors.Tensor> in)
            throws IOException, InterruptedException {
        Path run = Files.createTempDirectory(weightsDir, "run");
        Files.write(run.resolve("inputs.safetensors"), Safetensors.encode(in));
        Path script = Path.of(System.getProperty("basedir", ".")).resolve("../bench/reference/sd3.py").normalize();
        String python = Files.isExecutable(Path.of("/usr/bin/python3")) ? "/usr/bin/python3" : "python3";
        Process p = new ProcessBuilder(List.of(python, script.toString(), weightsDir.toString(), run.toString()))
                .redirectErrorStream(true).redirectOutput(run.resolve("log.txt").toFile()).start();
        assertTrue(p.waitFor(300, TimeUnit.SECONDS), "the reference did not finish in 300 s");
        assertEquals(0, p.exitValue(), () -> script + " failed (needs python3-torch): " + log(run));
        return Safetensors.decode(Files.readAllBytes(run.resolve("reference.safetensors"))).get("v").data();
    }

    static String log(Path run) {
        try {
            return Files.readString(run.resolve("log.txt"));
        } catch (IOException e) {
            return e.getMessage();
        }
    }

    static float[] java(Path weightsDir, Map<String, Safetensors.Tensor> in) {
        try (Sd3Transformer model = Sd3Transformer.load(weightsDir); NDManager m = NDManager.newBaseManager()) {
            NDArray v = model.velocity(array(m, in.get("x")), array(m, in.get("t")), array(m, in.get("context")),
                    array(m, in.get("pooled")));
            assertEquals(new Shape(X), v.getShape());
            return v.toFloatArray();
        }
    }

    static NDArray array(NDManager m, Safetensors.Tensor t) {
        long[] shape = new long[t.shape().length];
        for (int i = 0; i < shape.length; i++) {
            shape[i] = t.shape()[i];
        }
        return m.create(t.data(), new Shape(shape));
    }

    /** Asserts that Java and the reference agree on these weights and inputs; returns the reference's velocity. */
    static float[] assertParity(Path dir, Map<String, Safetensors.Tensor> in) throws Exception {
        float[] ref = reference(dir, in);
        Discrepancy d = Discrepancy.between(java(dir, in), ref);
        assertTrue(d.maxRel() <= TARGET, d.toString());
        return ref;
    }

    @Test
    void f32WeightsMatchTheReference() throws Exception {
        float[] ref = assertParity(folder("f32", weights, "F32"), inputs);
        assertTrue(Discrepancy.between(new float[ref.length], ref).maxRel() > 0.5, "the velocity must not vanish");
    }

    @Test
    void bf16WeightsWidenedInJavaMatchTheReferenceReadingBf16() throws Exception {
        assertParity(folder("bf16", weights, "BF16"), inputs);
    }

    @Test
    void readingTheFinalNormShiftBeforeScaleMissesTheReference() throws Exception {
        // Swapping the two halves of norm_out.linear is what chunking (shift, scale) instead of (scale, shift) does.
        Map<String, float[]> swapped = new LinkedHashMap<>(weights);
        for (String key : List.of("norm_out.linear.weight", "norm_out.linear.bias")) {
            float[] v = weights.get(key);
            float[] s = new float[v.length];
            System.arraycopy(v, v.length / 2, s, 0, v.length / 2);
            System.arraycopy(v, 0, s, v.length / 2, v.length / 2);
            swapped.put(key, s);
        }
        float[] ref = reference(folder("f32-reference", weights, "F32"), inputs);
        Discrepancy d = Discrepancy.between(java(folder("swapped", swapped, "F32"), inputs), ref);
        assertTrue(d.maxRel() > 100 * TARGET, d.toString());
    }

    @Test
    void perTokenTimestepsMatchTheReference() throws Exception {
        Path dir = folder("per-token", weights, "F32");
        float[] ref = assertParity(dir, perTokenInputs);
        // The map must matter: it moves the velocity away from that at the per-sample times.
        assertTrue(Discrepancy.between(java(dir, inputs), ref).maxRel() > 100 * TARGET);
    }

    @Test
    void aConstantTokenMapGivesThePerSampleVelocity() throws Exception {
        Path dir = folder("constant-map", weights, "F32");
        float[] map = new float[2 * TOKENS];
        for (int i = 0; i < map.length; i++) {
            map[i] = T[i / TOKENS];
        }
        Discrepancy d = Discrepancy.between(java(dir, withTimesteps(new Safetensors.Tensor(new int[] {2, TOKENS},
                map))), java(dir, inputs));
        assertTrue(d.maxRel() <= 1e-6, d.toString());
    }
}
