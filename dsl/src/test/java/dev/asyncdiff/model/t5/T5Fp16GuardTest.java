package dev.asyncdiff.model.t5;

import ai.djl.Device;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.util.Float16Utils;
import dev.asyncdiff.bench.Discrepancy;
import dev.asyncdiff.model.checkpoint.FakeCheckpoints;
import dev.asyncdiff.model.device.ComputeDevice;
import dev.asyncdiff.model.device.Placement;
import dev.asyncdiff.model.device.Precision;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * T5 in the CUDA plan (FP16, wo FP32, FP16 results clamped where they overflowed), run on the CPU: the clamp itself,
 * the encode against the FP32 one, and an encode whose FP16 projection overflows.
 */
class T5Fp16GuardTest {
    static final String Q = "encoder.block.0.layer.0.SelfAttention.q.weight";
    static final float FP16_MAX = 65504f;

    @TempDir
    static Path tmp;
    static RandomT5 t5;

    @BeforeAll
    static void randomWeightsAndIds() throws IOException {
        t5 = RandomT5.of(tmp, 61);
    }

    static float[] encode(Path dir, Placement placement) {
        try (T5Encoder encoder = T5Encoder.open(dir, placement, T5Residency.RESIDENT)) {
            return t5.encode(encoder);
        }
    }

    static Placement cudaPlanOnTheCpu() {
        return Precision.of(ComputeDevice.CUDA).on(Device.cpu()).t5();
    }

    @Test
    void anFp16ArrayHoldingAnInfinityIsClampedToTheFiniteMarginAndTheRestKept() {
        try (NDManager m = NDManager.newBaseManager()) {
            NDArray x = m.create(new float[] {1.5f, -60000f, Float.POSITIVE_INFINITY, Float.NEGATIVE_INFINITY, 65504f})
                    .toType(DataType.FLOAT16, false);
            NDArray clamped = T5Encoder.finite(x);
            assertEquals(DataType.FLOAT16, clamped.getDataType());
            // transformers clamps to finfo(float16).max − 1000 = 64504 when any value is infinite; in FP16 that bound
            // is 64512, the nearest FP16 number (they are 32 apart there)
            float bound = Float16Utils.halfToFloat(Float16Utils.floatToHalf(64504f));
            assertEquals(64512f, bound);
            assertArrayEquals(new float[] {1.5f, -60000f, bound, -bound, bound}, clamped.toFloatArray());
        }
    }

    @Test
    void finiteFp16ArraysAndFp32ArraysAreLeftAsTheyAre() {
        try (NDManager m = NDManager.newBaseManager()) {
            NDArray finite = m.create(new float[] {65504f, -65504f, 3f}).toType(DataType.FLOAT16, false);
            assertSame(finite, T5Encoder.finite(finite));
            NDArray fp32 = m.create(new float[] {Float.POSITIVE_INFINITY, 1e30f});
            assertSame(fp32, T5Encoder.finite(fp32));
        }
    }

    @Test
    void theCudaPlanKeepsWoInFp32AndTheOtherWeightsInFp16() {
        Placement p = cudaPlanOnTheCpu();
        assertEquals(DataType.FLOAT32, p.dtypeOf("encoder.block.23.layer.1.DenseReluDense.wo.weight"));
        assertEquals(DataType.FLOAT16, p.dtypeOf("encoder.block.23.layer.1.DenseReluDense.wi_0.weight"));
        assertEquals(DataType.FLOAT16, p.dtypeOf(Q));
        assertEquals(DataType.FLOAT16, p.dtypeOf("shared.weight"));
    }

    @Test
    void theCudaPlanOnTheCpuStaysWithinThreeTimesWhatRoundingTheWeightsToFp16Moves() throws IOException {
        Path dir = t5.weights().folder(tmp.resolve("f32"), t5.weights().weights(), "F32");
        float[] fp32 = encode(dir, Placement.cpu());
        // The part of FP16's error no arithmetic avoids: FP32 arithmetic on the weights rounded to FP16 (1.4e-2 on
        // this configuration, whose unscaled attention logits amplify it).
        Path rounded = t5.weights().folder(tmp.resolve("f16-values"), FakeCheckpoints.f16(t5.weights().weights()),
                "F32");
        Discrepancy unavoidable = Discrepancy.between(encode(rounded, Placement.cpu()), fp32);
        Discrepancy d = Discrepancy.between(encode(dir, cudaPlanOnTheCpu()), fp32);
        assertTrue(d.maxRel() <= 3 * unavoidable.maxRel(), d + " against " + unavoidable);
        assertTrue(d.maxRel() > 0, "the weights must have been FP16");
    }

    @Test
    void anOverflowingFp16ProjectionIsClampedAndTheEncodeStaysFinite() throws IOException {
        // Block 0's q = RMSNorm(embedding)·g · Wqᵀ, computed here in double precision from the stored values: scaled
        // so that its largest entry is 3 × FP16's largest finite value while every weight stays finite in FP16.
        int d = 32;
        float[] table = t5.weights().weights().get("shared.weight");
        float[] g = t5.weights().weights().get("encoder.block.0.layer.0.layer_norm.weight");
        float[] wq = t5.weights().weights().get(Q);
        double largest = 0;
        for (long id : t5.ids()) {
            double ms = 0;
            for (int i = 0; i < d; i++) {
                ms += table[(int) id * d + i] * table[(int) id * d + i];
            }
            double rms = Math.sqrt(ms / d + 1e-6);
            for (int j = 0; j < d; j++) {
                double q = 0;
                for (int i = 0; i < d; i++) {
                    q += table[(int) id * d + i] / rms * g[i] * wq[j * d + i];
                }
                largest = Math.max(largest, Math.abs(q));
            }
        }
        float scale = (float) (3 * FP16_MAX / largest);
        float[] scaled = new float[wq.length];
        float largestWeight = 0;
        for (int i = 0; i < wq.length; i++) {
            scaled[i] = wq[i] * scale;
            largestWeight = Math.max(largestWeight, Math.abs(scaled[i]));
        }
        assertTrue(largestWeight < FP16_MAX, "the scaled weights must be finite in FP16: " + largestWeight);
        Map<String, float[]> altered = new LinkedHashMap<>(t5.weights().weights());
        altered.put(Q, scaled);
        Path dir = t5.weights().folder(tmp.resolve("overflowing"), altered, "F32");
        for (float v : encode(dir, cudaPlanOnTheCpu())) {
            assertTrue(Float.isFinite(v), "an FP16 overflow must not reach the output: " + v);
        }
    }
}
