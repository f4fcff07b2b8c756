package dev.asyncdiff.model.t5;

import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import dev.asyncdiff.model.checkpoint.Architecture;
import dev.asyncdiff.model.checkpoint.RandomCheckpoint;

import java.io.IOException;
import java.nio.file.Path;
import java.util.SplittableRandom;

/** Random weights of the parity test's T5 configuration and two rows of random token ids for it. */
record RandomT5(RandomCheckpoint weights, long[] ids) {
    static final int VOCABULARY = 64;

    static RandomT5 of(Path scratch, long seed) throws IOException {
        SplittableRandom r = new SplittableRandom(seed);
        RandomCheckpoint weights = RandomCheckpoint.of(Architecture.T5_ENCODER, T5EncoderParityTest.CONFIG, scratch, r);
        long[] ids = new long[2 * T5EncoderParityTest.TOKENS];
        for (int i = 0; i < ids.length; i++) {
            ids[i] = r.nextInt(VOCABULARY);
        }
        return new RandomT5(weights, ids);
    }

    /** The final hidden states {@code t5} gives for the ids. */
    float[] encode(T5Encoder t5) {
        try (NDManager m = NDManager.newBaseManager()) {
            return t5.encode(m.create(ids, new Shape(2, T5EncoderParityTest.TOKENS))).toFloatArray();
        }
    }
}
