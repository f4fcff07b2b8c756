package dev.asyncdiff.model.checkpoint;

import dev.asyncdiff.bench.Discrepancy;
import dev.asyncdiff.io.Safetensors;

import java.io.IOException;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The parity checks of a transformer's Java forward pass against its bench/reference script, on one random
 * checkpoint written under {@code dir}: the assertions the SD3 and Flux parity tests share, on inputs each test
 * builds (x, t and the text inputs; t [B] per sample or [B, N] per image token).
 *
 * @param script the reference's file name in bench/reference
 * @param java   the Java forward pass: the velocity, or the attention maps, for a weights folder and inputs
 */
public record TransformerParity(RandomCheckpoint checkpoint, Path dir, String script, Forward java) {
    /** Largest relative error (max|a − b| / max|b|) allowed. */
    public static final double TARGET = 1e-4;

    /** What the Java side computes for a weights folder and inputs. */
    public interface Forward {
        float[] velocity(Path weights, Map<String, Safetensors.Tensor> in);

        float[][][][] imageTextAttention(Path weights, Map<String, Safetensors.Tensor> in);
    }

    /** Standard-normal x, context and pooled inputs of these shapes, with the per-sample times t. */
    public static Map<String, Safetensors.Tensor> inputs(SplittableRandom r, long[] x, float[] t, long[] context,
                                                         long[] pooled) {
        Map<String, Safetensors.Tensor> in = new LinkedHashMap<>();
        in.put("x", RandomCheckpoint.tensor(x, RandomCheckpoint.gaussian(r, x, 1)));
        in.put("t", new Safetensors.Tensor(new int[] {t.length}, t));
        in.put("context", RandomCheckpoint.tensor(context, RandomCheckpoint.gaussian(r, context, 1)));
        in.put("pooled", RandomCheckpoint.tensor(pooled, RandomCheckpoint.gaussian(r, pooled, 1)));
        return in;
    }

    /** The inputs with per-token times instead: {@code tokens} a sample, each uniform in [0, {@code scale}). */
    public static Map<String, Safetensors.Tensor> withRandomMap(Map<String, Safetensors.Tensor> in, int tokens,
                                                                double scale, SplittableRandom r) {
        int b = in.get("t").data().length;
        float[] map = new float[b * tokens];
        for (int i = 0; i < map.length; i++) {
            map[i] = (float) (scale * r.nextDouble());
        }
        Map<String, Safetensors.Tensor> out = new LinkedHashMap<>(in);
        out.put("t", new Safetensors.Tensor(new int[] {b, tokens}, map));
        return out;
    }

    public Path folder(String name, Map<String, float[]> values, String dtype) throws IOException {
        return checkpoint.folder(dir.resolve(name), values, dtype);
    }

    public Map<String, Safetensors.Tensor> reference(Path weights, Map<String, Safetensors.Tensor> in)
            throws IOException, InterruptedException {
        return ReferenceScript.run(script, weights, in);
    }

    /** Asserts that Java and the reference agree on these inputs in this dtype; returns the reference's velocity. */
    public float[] assertParity(String dtype, Map<String, Safetensors.Tensor> in) throws Exception {
        Path weights = folder(dtype + "-" + in.get("t").shape().length + "d-times", checkpoint.weights(), dtype);
        float[] ref = reference(weights, in).get("v").data();
        Discrepancy d = Discrepancy.between(java.velocity(weights, in), ref);
        assertTrue(d.maxRel() <= TARGET, d.toString());
        assertTrue(Discrepancy.between(new float[ref.length], ref).maxRel() > 0.5, "the velocity must not vanish");
        return ref;
    }

    /** Per-token times agree with the reference, and the map matters: it moves the velocity from the per-sample one. */
    public void assertPerTokenParity(Map<String, Safetensors.Tensor> perToken,
                                     Map<String, Safetensors.Tensor> perSample) throws Exception {
        float[] ref = assertParity("F32", perToken);
        Path weights = folder("per-sample", checkpoint.weights(), "F32");
        assertTrue(Discrepancy.between(java.velocity(weights, perSample), ref).maxRel() > 100 * TARGET);
    }

    /** A map holding each sample's time at every one of its {@code tokens} positions gives the per-sample velocity. */
    public void assertConstantMapIsPerSample(Map<String, Safetensors.Tensor> perSample, int tokens) throws Exception {
        float[] t = perSample.get("t").data();
        float[] map = new float[t.length * tokens];
        for (int i = 0; i < map.length; i++) {
            map[i] = t[i / tokens];
        }
        Map<String, Safetensors.Tensor> constant = new LinkedHashMap<>(perSample);
        constant.put("t", new Safetensors.Tensor(new int[] {t.length, tokens}, map));
        Path weights = folder("constant-map", checkpoint.weights(), "F32");
        Discrepancy d = Discrepancy.between(java.velocity(weights, constant), java.velocity(weights, perSample));
        assertTrue(d.maxRel() <= 1e-6, d.toString());
    }

    /** Java on {@code altered} weights misses the reference on the checkpoint's own by far more than the target. */
    public void assertMisses(String name, Map<String, float[]> altered, Map<String, Safetensors.Tensor> in)
            throws Exception {
        float[] ref = reference(folder(name + "-reference", checkpoint.weights(), "F32"), in).get("v").data();
        Discrepancy d = Discrepancy.between(java.velocity(folder(name, altered, "F32"), in), ref);
        assertTrue(d.maxRel() > 100 * TARGET, d.toString());
    }

    /** The image→text maps have the shape [blocks][B][N][S] and agree with the reference's block by block. */
    public void assertAttentionParity(Map<String, Safetensors.Tensor> in, List<Integer> shape) throws Exception {
        Path weights = folder("attention", checkpoint.weights(), "F32");
        Safetensors.Tensor ref = reference(weights, in).get("attention");
        float[][][][] maps = java.imageTextAttention(weights, in);
        assertEquals(shape, List.of(maps.length, maps[0].length, maps[0][0].length, maps[0][0][0].length));
        assertEquals(shape, Arrays.stream(ref.shape()).boxed().toList());
        Discrepancy d = Discrepancy.between(ReferenceScript.flatten(maps), ref.data());
        assertTrue(d.maxRel() <= TARGET, d.toString());
    }
}
