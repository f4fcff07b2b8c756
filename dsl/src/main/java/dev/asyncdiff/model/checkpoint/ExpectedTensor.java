package dev.asyncdiff.model.checkpoint;

import java.util.Arrays;

/** A tensor a manifest expects: its key, its shape and what it is. */
public record ExpectedTensor(String name, long[] shape, Role role) {

    /** What a stored tensor is, which decides whether it must be present and where it is counted. */
    public enum Role {
        /** A learned weight: required, counted in the parameter count. */
        PARAMETER,
        /** A stored constant (SD3's position table): required, counted apart from the parameters. */
        BUFFER,
        /**
         * May be present or not, never counted: a tied alias some writers store twice (T5's
         * encoder.embed_tokens), a buffer older writers saved (CLIP's position_ids).
         */
        OPTIONAL
    }

    public long elements() {
        return TensorEntry.elements(shape);
    }

    public String shapeText() {
        return Arrays.toString(shape);
    }
}
