package dev.asyncdiff.model.t5;

/**
 * Whether the T5 encoder keeps all its weights loaded (resident) or streams them block by block on every encode:
 * the embedding table, then each block in turn, loaded from the memory-mapped checkpoint and freed before the next
 * (at most one block's weights at a time). Both give the same numbers bit for bit; streaming trades reading the
 * weights again on every encode (once per prompt batch) for memory. T5-XXL's 4.76 B parameters are 19 GB in FP32
 * and 11.5 GB in the CUDA plan (FP16, its wo projections FP32): more than fits beside SD3.5's transformer on a
 * 24 GiB machine or GPU.
 */
public enum T5Residency {
    /** Resident when the weights take at most 1/{@link #BUDGET_SHARE} of the device's memory, else streamed. */
    AUTO,
    RESIDENT,
    STREAMED;

    /**
     * AUTO keeps T5 resident when its weights, in the types they are kept in, take at most 1/BUDGET_SHARE of the
     * device's memory: the transformer, the other encoders and the activations need the rest. T5-XXL in FP32 (19 GB)
     * is resident on machines of 76 GB or more; in the CUDA plan (11.5 GB) on GPUs of 46 GB or more. A device whose
     * memory cannot be read (0 bytes) streams.
     */
    static final int BUDGET_SHARE = 4;

    /** Whether T5 weights of {@code weightBytes} are streamed on a device of {@code deviceBytes}. */
    public boolean streams(long weightBytes, long deviceBytes) {
        return switch (this) {
            case RESIDENT -> false;
            case STREAMED -> true;
            case AUTO -> weightBytes > deviceBytes / BUDGET_SHARE;
        };
    }
}
