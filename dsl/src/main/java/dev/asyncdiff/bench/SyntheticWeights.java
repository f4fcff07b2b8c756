package dev.asyncdiff.bench;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import dev.asyncdiff.model.checkpoint.CheckpointWeights;
import dev.asyncdiff.model.checkpoint.ExpectedTensor;
import dev.asyncdiff.model.checkpoint.Manifest;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Random weights of a manifest's shapes, drawn straight into native arrays (FP32), for benchmarks that have no
 * checkpoint: a matrix or kernel W [out, …] ~ N(0, 1/fan_in) with fan_in the product of its other dimensions (so
 * activations keep their scale through the layers and no value overflows or underflows into slow subnormals), a
 * bias zero, a norm's scale one. bench/reference/bench_backbone.py draws its weights by the same rule.
 */
public final class SyntheticWeights {
    private SyntheticWeights() {
    }

    /** Every required tensor of {@code manifest}, in its order, from torch's generator seeded with {@code seed}. */
    public static CheckpointWeights draw(NDManager manager, Manifest manifest, long seed) {
        manager.getEngine().setRandomSeed((int) seed);
        Map<String, NDArray> arrays = new LinkedHashMap<>();
        for (ExpectedTensor e : manifest.tensors().values()) {
            if (e.role() != ExpectedTensor.Role.OPTIONAL) {
                arrays.put(e.name(), draw(manager, e));
            }
        }
        return CheckpointWeights.of(manifest, arrays);
    }

    private static NDArray draw(NDManager manager, ExpectedTensor e) {
        Shape shape = new Shape(e.shape());
        if (shape.dimension() == 1) {
            return e.name().endsWith(".bias") ? manager.zeros(shape) : manager.ones(shape);
        }
        float std = (float) (1 / Math.sqrt(shape.size() / shape.get(0)));
        return manager.randomNormal(0f, std, shape, DataType.FLOAT32);
    }
}
