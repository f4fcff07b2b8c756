package dev.asyncdiff.model.t5;

import dev.asyncdiff.model.checkpoint.Architecture;
import dev.asyncdiff.model.checkpoint.ComponentConfig;
import dev.asyncdiff.model.checkpoint.FakeCheckpoints;
import dev.asyncdiff.model.checkpoint.Manifest;
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

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** T5 kept loaded or streamed block by block: the same numbers, bounded memory, and the rule that picks one. */
class T5ResidencyTest {
    static final long GIB = 1L << 30;

    @TempDir
    static Path tmp;
    static RandomT5 t5;

    @BeforeAll
    static void randomWeightsAndIds() throws IOException {
        t5 = RandomT5.of(tmp, 59);
    }

    /** What one encoder gives for the ids on two encodes in a row, and its peak of parts loaded at once. */
    record Run(float[][] hidden, int peakLiveParts, int layers) {
        static Run of(Path dir, T5Residency residency) {
            try (T5Encoder encoder = T5Encoder.open(dir, Placement.cpu(), residency)) {
                assertEquals(residency == T5Residency.STREAMED, encoder.streamed());
                float[][] out = {t5.encode(encoder), t5.encode(encoder)};
                return new Run(out, encoder.peakLiveParts(), encoder.config().layers());
            }
        }
    }

    @Nested
    class OnTheRandomConfiguration {
        @Test
        void aStreamedEncodeEqualsTheResidentEncodeBitForBit() throws IOException {
            for (String dtype : new String[] {"F32", "BF16"}) {
                Path dir = t5.weights().folder(tmp.resolve(dtype), t5.weights().weights(), dtype);
                Run resident = Run.of(dir, T5Residency.RESIDENT);
                Run streamed = Run.of(dir, T5Residency.STREAMED);
                assertArrayEquals(resident.hidden()[0], streamed.hidden()[0], dtype);
                assertArrayEquals(resident.hidden()[0], streamed.hidden()[1], dtype + ", second encode");
            }
        }

        @Test
        void aStreamedEncodeHoldsOnePartsWeightsAtATime() throws IOException {
            Path dir = t5.weights().folder(tmp.resolve("parts"), t5.weights().weights(), "F32");
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
