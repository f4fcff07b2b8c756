package dev.asyncdiff.model;

import ai.djl.ndarray.NDArray;

import java.util.List;
import java.util.Optional;

/**
 * A flow-matching velocity model f(x, t, c) ≈ E[ε − x0 | x_t = x] under x_t = (1 − t)·x0 + t·ε.
 * Latents are batches of flattened vectors, one row per sample, in the layout {@link #latentShape()} describes.
 * Implementations must treat each row independently, so a sample's result does not depend on its batch.
 */
public interface FlowModel {

    /** Shape of one sample's latent, e.g. [D] or [C, H, W]. */
    int[] latentShape();

    /**
     * Number of latent positions that may carry their own timestep ({@link Timesteps.PerToken}); each row of a
     * per-token map has this length. Position p covers the latent entries {@link #positionOf(int)} maps to it.
     */
    int positions();

    /** The position that latent entry {@code index} (of the flattened latent) belongs to. */
    int positionOf(int index);

    /** Encodes prompts; throws IllegalArgumentException with an actionable message for prompts it cannot read. */
    Conditioning encode(List<String> prompts);

    /**
     * Throws what {@link #encode} would for the first prompt the backbone cannot read, so that bad input is refused
     * before any sampling. The default encodes the prompts; backbones whose encoder is costly check them without it.
     */
    default void validate(List<String> prompts) {
        encode(prompts);
    }

    /**
     * A manager for the tensors of one sampling run, on the device the backbone computes on; the caller closes it.
     */
    default ai.djl.ndarray.NDManager newScope() {
        return ai.djl.ndarray.NDManager.newBaseManager();
    }

    /**
     * The conditioning {@code c} prepared for the calls of one sampling run, held in {@code manager} (freed with it):
     * its tensors uploaded once and whatever the backbone computes from the text alone (the tiny model's
     * cross-attention keys and values) computed once, instead of at every step. The default returns c.
     */
    default Conditioning resident(Conditioning c, ai.djl.ndarray.NDManager manager) {
        return c;
    }

    /** The unconditional (null) conditioning for {@code n} samples, used by classifier-free guidance. */
    Conditioning unconditional(int n);

    /**
     * Batched velocity: row i of the result is f(x[i], t[i], c[i]). CFG passes conditional and unconditional rows
     * together in one call ({@link Conditioning#concat}).
     */
    float[][] velocity(float[][] x, Timesteps t, Conditioning c);

    /**
     * The same velocity on a native batch x [B, D] (rows as {@link #velocity(float[][], Timesteps, Conditioning)}
     * takes them), returned as [B, D] in x's manager: what the sampling loop calls, so that latents stay native.
     * Backbones computed natively override it; the default goes through Java rows, for models computed in Java.
     */
    default NDArray velocity(NDArray x, Timesteps t, Conditioning c) {
        return Latents.array(x.getManager(), velocity(Latents.rows(x), t, c));
    }

    /**
     * The conditioning with a guidance scale attached, for guidance-distilled backbones (Flux.1-dev) that take the
     * scale as an input; other backbones refuse.
     */
    default Conditioning withGuidanceInput(Conditioning c, double scale) {
        throw new IllegalStateException(getClass().getSimpleName() + " takes no guidance input; use "
                + "classifier-free guidance (.guidance(w))");
    }

    /** The decoder from latents to images, for backbones that have one. */
    default Optional<LatentDecoder> decoder() {
        return Optional.empty();
    }

    /** Number of entries in one flattened latent. */
    default int latentSize() {
        int n = 1;
        for (int d : latentShape()) {
            n *= d;
        }
        return n;
    }
}
