package dev.asyncdiff.model.t5;

import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import dev.asyncdiff.model.checkpoint.Architecture;
import dev.asyncdiff.model.checkpoint.ComponentConfig;
import dev.asyncdiff.model.checkpoint.FakeCheckpoints;
import dev.asyncdiff.model.checkpoint.Manifest;
import dev.asyncdiff.model.checkpoint.RandomCheckpoint;
import dev.asyncdiff.model.device.ComputeDevice;
import dev.asyncdiff.model.device.Placement;
import dev.asyncdiff.model.device.Precision;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.SplittableRandom;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** T5 kept loaded or streamed block by block: the same numbers, bounded memory, and the rule that picks one. */
class T5ResidencyTest {
    static final long GIB = 1L << 30;

    @TempDir
    static Path tmp;
    static RandomCheckpoint weights;
    /** Token ids [2, 40], uniform over the vocabulary of 64 as in the parity test. */
    static long[] ids;

    @BeforeAll
    static void randomWeightsAndIds() throws IOException {
        SplittableRandom r = new SplittableRandom(59);
        weights = RandomCheckpoint.of(Architecture.T5_ENCODER, T5EncoderParityTest.CONFIG, tmp, r);
        ids = new long[2 * T5EncoderParityTest.TOKENS];
        for (int i = 0; i < ids.length; i++) {
            ids[i] = r.nextInt(64);
        }
    }

    /** What one encoder gives for the ids on two encodes in a row, and its peak of parts loaded at once. */
    record Run(float[][] hidden, int peakLiveParts, int layers) {
        static Run of(Path dir, T5Residency residency) {
            try (T5Encoder t5 = T5Encoder.open(dir, Placement.cpu(), residency);
                 NDManager m = NDManager.newBaseManager()) {
                assertEquals(residency == T5Residency.STREAMED, t5.streamed());
                float[][] out = new float[2][];
                for (int i = 0; i < out.length; i++) {
                    out[i] = t5.encode(m.create(ids, new Shape(2, T5EncoderParityTest.TOKENS))).toFloatArray();
                }
                return new Run(out, t5.peakLiveParts(), t5.config().layers());
            }
        }
    }

    @Nested
    class OnTheRandomConfiguration {
        @Test
        void aStreamedEncodeEqualsTheResidentEncodeBitForBit() throws IOException {
            for (String dtype : new String[] {"F32", "BF16"}) {
                Path dir = weights.folder(tmp.resolve(dtype), weights.weights(), dtype);
                Run resident = Run.of(dir, T5Residency.RESIDENT);
                Run streamed = Run.of(dir, T5Residency.STREAMED);
                assertArrayEquals(resident.hidden()[0], streamed.hidden()[0], dtype);
                assertArrayEquals(resident.hidden()[0], streamed.hidden()[1], dtype + ", second encode");
            }
        }

        @Test
        void aStreamedEncodeHoldsOnePartsWeightsAtATime() throws IOException {
            Path dir = weights.folder(tmp.resolve("parts"), weights.weights(), "F32");
            assertEquals(1, Run.of(dir, T5Residency.STREAMED).peakLiveParts(),
                    "the embedding and each block are freed before the next is loaded");
            Run resident = Run.of(dir, T5Residency.RESIDENT);
            assertEquals(resident.layers() + 1, resident.peakLiveParts(), "resident: the embedding and every block");
        }
    }

    @Nested
    class TheAutomaticRule {
        @TempDir
        Path dir;

        Manifest t5Xxl() throws IOException {
            Files.writeString(dir.resolve(ComponentConfig.FILE), FakeCheckpoints.T5_XXL);
            return Architecture.T5_ENCODER.manifest(ComponentConfig.read(dir));
        }

        @Test
        void t5XxlWeighs19GbInFp32And11GbInTheCudaPlan() throws IOException {
            Manifest m = t5Xxl();
            // vocabulary·d, per block 4 attention projections d × (heads·d_kv), 3 feed-forward ones d × d_ff and two
            // norms, the 32 × 64 bias table, the final norm
            long d = 4096;
            long ff = 10240;
            long parameters = 32128 * d + 24 * (4 * d * d + 3 * d * ff + 2 * d) + 32 * 64 + d;
            assertEquals(parameters, m.parameters());
            assertEquals(4 * parameters, T5Encoder.bytes(m, Placement.cpu()));
            long wo = 24 * ff * d;
            assertEquals(2 * parameters + 2 * wo, T5Encoder.bytes(m, Precision.of(ComputeDevice.CUDA).t5()),
                    "FP16, the wo projections FP32");
        }

        @Test
        void autoStreamsWhenTheWeightsExceedAQuarterOfTheDevicesMemory() throws IOException {
            assertFalse(T5Residency.AUTO.streams(25, 100));
            assertTrue(T5Residency.AUTO.streams(26, 100));
            long fp32 = T5Encoder.bytes(t5Xxl(), Placement.cpu());
            long cuda = T5Encoder.bytes(t5Xxl(), Precision.of(ComputeDevice.CUDA).t5());
            assertTrue(T5Residency.AUTO.streams(fp32, 24 * GIB), "FP32 T5-XXL on a 24 GiB machine");
            assertFalse(T5Residency.AUTO.streams(fp32, 128 * GIB), "FP32 T5-XXL on a 128 GiB machine");
            assertTrue(T5Residency.AUTO.streams(cuda, 24 * GIB), "the CUDA plan on a 24 GiB GPU");
            assertFalse(T5Residency.AUTO.streams(cuda, 141 * 1_000_000_000L), "the CUDA plan on an H200");
        }

        @Test
        void anExplicitChoiceIgnoresTheMemory() {
            assertFalse(T5Residency.RESIDENT.streams(Long.MAX_VALUE, 1));
            assertTrue(T5Residency.STREAMED.streams(1, Long.MAX_VALUE));
        }
    }
}
