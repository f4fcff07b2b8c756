package dev.asyncdiff.model.t5;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import dev.asyncdiff.model.layers.Layers;
import dev.asyncdiff.nn.NativeData;

/**
 * T5's bidirectional relative-position bias (Raffel et al. 2020, §2.1): each query–key pair is put in a bucket by
 * its relative position (key − query) and adds that bucket's learned per-head scalar to the attention score. Half the
 * buckets hold keys after the query, half keys at or before it; within a half, the first quarter of the buckets are
 * exact distances and the rest are log-spaced up to the maximum distance, beyond which all share the last bucket.
 */
final class RelativePositionBias {
    private RelativePositionBias() {
    }

    /** The bucket of a relative position (key − query), bidirectional, as T5 assigns it. */
    static int bucket(int relative, int buckets, int maxDistance) {
        int half = buckets / 2;
        int offset = relative > 0 ? half : 0;
        int n = Math.abs(relative);
        int exact = half / 2;
        if (n < exact) {
            return offset + n;
        }
        int logSpaced = exact + (int) (Math.log((double) n / exact) / Math.log((double) maxDistance / exact)
                * (half - exact));
        return offset + Math.min(logSpaced, half - 1);
    }

    /** The bias [1, heads, L, L] for L tokens from the table [buckets, heads] (block 0's relative_attention_bias). */
    static NDArray of(NDManager manager, NDArray table, int length, T5Config config) {
        long[] index = new long[length * length];
        for (int q = 0; q < length; q++) {
            for (int k = 0; k < length; k++) {
                index[q * length + k] = bucket(k - q, config.buckets(), config.maxDistance());
            }
        }
        try (NDManager scratch = manager.newSubManager()) {
            NDArray bias = Layers.embedding(table, NativeData.of(scratch, index, new Shape(length, length)))
                    .transpose(2, 0, 1).expandDims(0);
            bias.attach(manager);
            return bias;
        }
    }
}
