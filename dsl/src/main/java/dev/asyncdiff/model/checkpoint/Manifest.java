package dev.asyncdiff.model.checkpoint;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Every tensor a component of a given architecture and configuration must hold, with its shape, in the order the
 * model class creates them.
 */
public record Manifest(String architecture, Map<String, ExpectedTensor> tensors) {

    /** Compares headers with this manifest: missing, unexpected and mis-shaped keys, and the counts found. */
    public ManifestReport check(Map<String, TensorEntry> found) {
        List<String> missing = new ArrayList<>();
        List<String> misShaped = new ArrayList<>();
        long parameters = 0;
        long buffers = 0;
        for (ExpectedTensor e : tensors.values()) {
            TensorEntry t = found.get(e.name());
            if (t == null) {
                if (e.role() != ExpectedTensor.Role.OPTIONAL) {
                    missing.add(e.name());
                }
            } else if (!Arrays.equals(t.shape(), e.shape())) {
                misShaped.add(e.name() + " " + t.shapeText() + " (expected " + e.shapeText() + ")");
            } else if (e.role() == ExpectedTensor.Role.PARAMETER) {
                parameters += e.elements();
            } else if (e.role() == ExpectedTensor.Role.BUFFER) {
                buffers += e.elements();
            }
        }
        List<String> unexpected = found.keySet().stream().filter(k -> !tensors.containsKey(k)).toList();
        return new ManifestReport(missing, unexpected, misShaped, parameters, buffers);
    }

    /**
     * The found tensors this manifest names, in the found order: what a model that loads its weights the way
     * torch's {@code load_state_dict(strict=False)} does reads, the other keys being ignored rather than unexpected.
     */
    public Map<String, TensorEntry> named(Map<String, TensorEntry> found) {
        Map<String, TensorEntry> out = new LinkedHashMap<>();
        found.forEach((key, t) -> {
            if (tensors.containsKey(key)) {
                out.put(key, t);
            }
        });
        return out;
    }

    /** Elements of the learned weights (the parameter count of a complete checkpoint). */
    public long parameters() {
        return elements(ExpectedTensor.Role.PARAMETER);
    }

    /** Elements of the stored constants (SD3's position table). */
    public long buffers() {
        return elements(ExpectedTensor.Role.BUFFER);
    }

    private long elements(ExpectedTensor.Role role) {
        return tensors.values().stream().filter(e -> e.role() == role).mapToLong(ExpectedTensor::elements).sum();
    }
}
