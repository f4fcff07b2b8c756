package dev.asyncdiff.model.checkpoint;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import dev.asyncdiff.model.device.Placement;

import java.io.IOException;
import java.nio.file.Path;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.Predicate;

/**
 * A component's weights in native memory, by their checkpoint keys: loaded only after the headers have matched the
 * manifest, so a forward pass never meets a missing or mis-shaped tensor. The arrays belong to the manager given.
 */
public final class CheckpointWeights {
    private final Map<String, NDArray> arrays;

    private CheckpointWeights(Map<String, NDArray> arrays) {
        this.arrays = arrays;
    }

    /**
     * Checks the folder against the manifest (an IllegalArgumentException naming the offending keys), then loads
     * every weight onto the manager's device in the type {@code placement} gives its key.
     */
    public static CheckpointWeights load(NDManager manager, ComponentFolder folder, Manifest manifest,
                                         Placement placement) {
        return load(manager, folder, manifest, key -> true, placement);
    }

    /**
     * Checks the folder against the manifest like {@link #load(NDManager, ComponentFolder, Manifest, Placement)},
     * then loads only the keys {@code which} accepts: a model streamed part by part holds one part's weights at a
     * time.
     */
    public static CheckpointWeights load(NDManager manager, ComponentFolder folder, Manifest manifest,
                                         Predicate<String> which, Placement placement) {
        return load(manager, folder.dir(), folder.tensors(), manifest, which, placement);
    }

    /**
     * Checks {@code tensors}, read from {@code source} (a folder or a checkpoint file, named in messages), against
     * the manifest, then loads the keys {@code which} accepts, as {@link #load(NDManager, ComponentFolder, Manifest,
     * Predicate, Placement)} does for a component folder.
     */
    public static CheckpointWeights load(NDManager manager, Path source, Map<String, TensorEntry> tensors,
                                         Manifest manifest, Predicate<String> which, Placement placement) {
        ManifestReport report = manifest.check(tensors);
        if (!report.ok()) {
            throw new IllegalArgumentException(source + " does not hold a " + manifest.architecture() + ": "
                    + report.problems());
        }
        Map<String, NDArray> arrays = new LinkedHashMap<>();
        try {
            for (ExpectedTensor e : manifest.tensors().values()) {
                TensorEntry t = tensors.get(e.name());
                if (t != null && e.role() != ExpectedTensor.Role.OPTIONAL && which.test(e.name())) {
                    arrays.put(e.name(), TensorLoader.load(manager, t, placement.dtypeOf(e.name())));
                }
            }
        } catch (IOException e) {
            throw new IllegalStateException("cannot read " + source + ": " + e.getMessage());
        }
        return new CheckpointWeights(Collections.unmodifiableMap(arrays));
    }

    /**
     * Weights made in memory rather than loaded (random weights of the real shapes for a benchmark): {@code arrays}
     * must hold exactly the manifest's required tensors, each of its shape, else an IllegalArgumentException names
     * the offending keys.
     */
    public static CheckpointWeights of(Manifest manifest, Map<String, NDArray> arrays) {
        Map<String, TensorEntry> found = new LinkedHashMap<>();
        arrays.forEach((name, a) -> found.put(name, new TensorEntry(name, TensorDType.F32, a.getShape().getShape(),
                null, 0, 0)));
        ManifestReport report = manifest.check(found);
        if (!report.ok()) {
            throw new IllegalArgumentException("these arrays do not make a " + manifest.architecture() + ": "
                    + report.problems());
        }
        return new CheckpointWeights(Collections.unmodifiableMap(new LinkedHashMap<>(arrays)));
    }

    public NDArray get(String key) {
        NDArray a = arrays.get(key);
        if (a == null) {
            throw new IllegalStateException("no weight " + key + " was loaded");
        }
        return a;
    }
}
