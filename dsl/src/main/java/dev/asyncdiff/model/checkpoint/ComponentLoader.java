package dev.asyncdiff.model.checkpoint;

import ai.djl.ndarray.NDManager;
import dev.asyncdiff.model.device.Placement;

import java.nio.file.Path;

/**
 * Builds a model on a component folder: opens the folder (headers only), gives the builder a new manager on the
 * placement's device for the weights it loads, and hands that manager to the model, which closes it; if building
 * fails the manager is closed here, so a refused folder leaves no native memory behind.
 */
public final class ComponentLoader {
    private ComponentLoader() {
    }

    /** Makes a model from the folder's config and weights, owning {@code manager}. */
    @FunctionalInterface
    public interface Builder<T extends AutoCloseable> {
        T build(NDManager manager, ComponentFolder folder);
    }

    public static <T extends AutoCloseable> T load(Path dir, Placement placement, Builder<T> builder) {
        ComponentFolder folder = ComponentFolder.open(dir);
        NDManager manager = NDManager.newBaseManager(placement.device());
        try {
            return builder.build(manager, folder);
        } catch (RuntimeException e) {
            manager.close();
            throw e;
        }
    }
}
