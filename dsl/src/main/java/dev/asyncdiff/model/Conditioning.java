package dev.asyncdiff.model;

/** A batch of encoded prompts, opaque to samplers; each backbone defines its own. */
public interface Conditioning {

    /** Number of samples conditioned. */
    int size();

    /** This batch followed by {@code other}, for one batched conditional + unconditional call. */
    Conditioning concat(Conditioning other);
}
