package dev.asyncdiff.model.checkpoint;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import dev.asyncdiff.io.Safetensors;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.SplittableRandom;

/**
 * Random weights of a useful scale for every tensor the manifest of a config expects (fan-in scaled matrices,
 * biases around 0, norm scales around 1, a lively position table), to be written as component folders under
 * the real key names in F32 or BF16.
 */
public record RandomCheckpoint(String config, Map<String, long[]> shapes, Map<String, float[]> weights) {

    public static RandomCheckpoint of(Architecture architecture, String config, Path scratch, SplittableRandom r)
            throws IOException {
        Path dir = Files.createDirectories(scratch.resolve("config-only"));
        Files.writeString(dir.resolve(ComponentConfig.FILE), config);
        Map<String, long[]> shapes = new LinkedHashMap<>();
        Map<String, float[]> weights = new LinkedHashMap<>();
        for (ExpectedTensor e : architecture.manifest(ComponentConfig.read(dir)).tensors().values()) {
            shapes.put(e.name(), e.shape());
            weights.put(e.name(), random(r, e));
        }
        return new RandomCheckpoint(config, shapes, weights);
    }

    private static float[] random(SplittableRandom r, ExpectedTensor e) {
        long[] s = e.shape();
        // norm scales: q/k RMSNorms, the encoders' LayerNorms and RMSNorms, the VAE's GroupNorms
        if (s.length == 1 && e.name().contains("norm") && e.name().endsWith(".weight")) {
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

    /** A component folder at {@code dir} holding these values (this checkpoint's or altered ones) in this dtype. */
    public Path folder(Path dir, Map<String, float[]> values, String dtype) throws IOException {
        Files.createDirectories(dir);
        Files.writeString(dir.resolve(ComponentConfig.FILE), config);
        FakeCheckpoints.withData(dir.resolve("diffusion_pytorch_model.safetensors"), shapes, values, dtype);
        return dir;
    }

    public static float[] gaussian(SplittableRandom r, long[] shape, double std) {
        long n = 1;
        for (long d : shape) {
            n *= d;
        }
        float[] v = new float[(int) n];
        for (int i = 0; i < v.length; i++) {
            // Box–Muller from two uniforms
            double radius = Math.sqrt(-2 * Math.log(1 - r.nextDouble()));
            v[i] = (float) (std * radius * Math.cos(2 * Math.PI * r.nextDouble()));
        }
        return v;
    }

    public static Safetensors.Tensor tensor(long[] shape, float[] data) {
        int[] s = new int[shape.length];
        for (int i = 0; i < s.length; i++) {
            s[i] = (int) shape[i];
        }
        return new Safetensors.Tensor(s, data);
    }

    public static NDArray array(NDManager m, Safetensors.Tensor t) {
        long[] shape = new long[t.shape().length];
        for (int i = 0; i < shape.length; i++) {
            shape[i] = t.shape()[i];
        }
        return m.create(t.data(), new Shape(shape));
    }
}
