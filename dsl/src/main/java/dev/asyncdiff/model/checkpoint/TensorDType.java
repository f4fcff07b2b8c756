package dev.asyncdiff.model.checkpoint;

import java.util.Arrays;

/** The element types a safetensors header may name, with their sizes in bytes. */
public enum TensorDType {
    F64(8), F32(4), F16(2), BF16(2), I64(8), I32(4), I16(2), I8(1), U8(1), BOOL(1), F8_E4M3(1), F8_E5M2(1);

    public final int bytes;

    TensorDType(int bytes) {
        this.bytes = bytes;
    }

    /** The type a header names; an IllegalArgumentException naming the accepted ones otherwise. */
    public static TensorDType parse(String name) {
        for (TensorDType d : values()) {
            if (d.name().equals(name)) {
                return d;
            }
        }
        throw new IllegalArgumentException("unknown safetensors dtype '" + name + "' (known: "
                + Arrays.toString(values()) + ")");
    }
}
