package dev.asyncdiff.model.checkpoint;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Collects a manifest's tensors layer by layer, in the vocabulary of the diffusers and transformers modules whose
 * state-dict keys they mirror (torch's Linear stores weight [out, in] and bias [out]; Conv2d weight [out, in, k, k]).
 */
public final class ManifestBuilder {
    private final Map<String, ExpectedTensor> tensors = new LinkedHashMap<>();

    public ManifestBuilder tensor(String name, ExpectedTensor.Role role, long... shape) {
        if (tensors.put(name, new ExpectedTensor(name, shape, role)) != null) {
            throw new IllegalStateException("manifest key " + name + " added twice");
        }
        return this;
    }

    public ManifestBuilder weight(String name, long... shape) {
        return tensor(name, ExpectedTensor.Role.PARAMETER, shape);
    }

    /** torch.nn.Linear(in, out) with a bias. */
    public ManifestBuilder linear(String prefix, long in, long out) {
        return weight(prefix + ".weight", out, in).weight(prefix + ".bias", out);
    }

    /** torch.nn.Linear(in, out, bias=False). */
    public ManifestBuilder linearNoBias(String prefix, long in, long out) {
        return weight(prefix + ".weight", out, in);
    }

    /** A LayerNorm or GroupNorm with an affine weight and bias. */
    public ManifestBuilder affineNorm(String prefix, long dim) {
        return weight(prefix + ".weight", dim).weight(prefix + ".bias", dim);
    }

    /** torch.nn.Conv2d(in, out, k) with a bias. */
    public ManifestBuilder conv(String prefix, long in, long out, long k) {
        return weight(prefix + ".weight", out, in, k, k).weight(prefix + ".bias", out);
    }

    /** diffusers' TimestepEmbedding / PixArtAlphaTextProjection: linear_1 (in → dim), SiLU, linear_2 (dim → dim). */
    public ManifestBuilder mlpEmbedder(String prefix, long in, long dim) {
        return linear(prefix + ".linear_1", in, dim).linear(prefix + ".linear_2", dim, dim);
    }

    /** diffusers' FeedForward with GELU: net.0.proj (dim → 4·dim), net.2 (4·dim → dim). */
    public ManifestBuilder feedForward(String prefix, long dim) {
        return linear(prefix + ".net.0.proj", dim, 4 * dim).linear(prefix + ".net.2", 4 * dim, dim);
    }

    /**
     * diffusers' Attention over the image stream: to_q, to_k, to_v (dim → dim, with bias), to_out.0 unless
     * {@code preOnly}, and a per-head RMSNorm weight on q and k when {@code qkNorm}.
     */
    public ManifestBuilder attention(String prefix, long dim, long headDim, boolean qkNorm, boolean preOnly) {
        linear(prefix + ".to_q", dim, dim).linear(prefix + ".to_k", dim, dim).linear(prefix + ".to_v", dim, dim);
        if (qkNorm) {
            weight(prefix + ".norm_q.weight", headDim).weight(prefix + ".norm_k.weight", headDim);
        }
        return preOnly ? this : linear(prefix + ".to_out.0", dim, dim);
    }

    /**
     * The text-stream projections a joint attention adds: add_q/k/v_proj, to_add_out unless the block is the last
     * of a context-pre-only stack, and RMSNorm weights on the added q and k when {@code qkNorm}.
     */
    public ManifestBuilder addedProjections(String prefix, long dim, long headDim, boolean qkNorm, boolean contextOut) {
        linear(prefix + ".add_q_proj", dim, dim).linear(prefix + ".add_k_proj", dim, dim)
                .linear(prefix + ".add_v_proj", dim, dim);
        if (qkNorm) {
            weight(prefix + ".norm_added_q.weight", headDim).weight(prefix + ".norm_added_k.weight", headDim);
        }
        return contextOut ? linear(prefix + ".to_add_out", dim, dim) : this;
    }

    public Manifest build(String architecture) {
        return new Manifest(architecture, Collections.unmodifiableMap(new LinkedHashMap<>(tensors)));
    }
}
