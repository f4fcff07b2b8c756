package dev.asyncdiff.model.checkpoint;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.util.Float16Utils;
import com.google.gson.JsonArray;
import com.google.gson.JsonObject;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class TensorLoaderTest {
    static final long[] SHAPE = {3, 5, 7};

    /** F32 → BF16 with round-to-nearest-even on the dropped 16 bits, as torch's .to(torch.bfloat16) does. */
    static short toBf16(float x) {
        int bits = Float.floatToIntBits(x);
        return (short) ((bits + 0x7fff + ((bits >>> 16) & 1)) >>> 16);
    }

    /** F32 → F16 for numbers that F16 holds exactly (normal range, at most 11 significant bits). */
    static short toF16Exact(float x) {
        int sign = x < 0 ? 0x8000 : 0;
        float a = Math.abs(x);
        int e = Math.getExponent(a);
        int mantissa = Math.round((a / (float) Math.scalb(1.0, e) - 1) * 1024);
        return (short) (sign | (e + 15) << 10 | mantissa);
    }

    /** A safetensors file with each named tensor's raw little-endian bytes, written without the project's code. */
    static Path file(Path dir, Map<String, String> dtypes, Map<String, byte[]> data) throws IOException {
        JsonObject header = new JsonObject();
        long offset = 0;
        for (String name : data.keySet()) {
            JsonObject info = new JsonObject();
            info.addProperty("dtype", dtypes.get(name));
            JsonArray shape = new JsonArray();
            for (long d : SHAPE) {
                shape.add(d);
            }
            info.add("shape", shape);
            JsonArray o = new JsonArray();
            o.add(offset);
            o.add(offset + data.get(name).length);
            info.add("data_offsets", o);
            header.add(name, info);
            offset += data.get(name).length;
        }
        byte[] json = header.toString().getBytes(StandardCharsets.UTF_8);
        ByteBuffer buf = ByteBuffer.allocate((int) (8 + json.length + offset)).order(ByteOrder.LITTLE_ENDIAN);
        buf.putLong(json.length).put(json);
        data.values().forEach(buf::put);
        Path f = dir.resolve("w.safetensors");
        Files.write(f, buf.array());
        return f;
    }

    static float[] values(long seed) {
        Random r = new Random(seed);
        float[] v = new float[3 * 5 * 7];
        for (int i = 0; i < v.length; i++) {
            v[i] = (float) (r.nextGaussian() * Math.pow(10, r.nextInt(7) - 3));
        }
        return v;
    }

    /**
     * A file holding {@code original} twice: as F32 ("w32") and rounded to BF16 ("wbf"); {@code bf16Values} receives
     * the BF16 numbers as F32.
     */
    static Map<String, TensorEntry> f32AndBf16(Path dir, float[] original, float[] bf16Values) throws IOException {
        ByteBuffer f32 = ByteBuffer.allocate(4 * original.length).order(ByteOrder.LITTLE_ENDIAN);
        ByteBuffer bf16 = ByteBuffer.allocate(2 * original.length).order(ByteOrder.LITTLE_ENDIAN);
        for (int i = 0; i < original.length; i++) {
            f32.putFloat(original[i]);
            short b = toBf16(original[i]);
            bf16.putShort(b);
            bf16Values[i] = Float.intBitsToFloat((b & 0xffff) << 16);
        }
        Map<String, byte[]> data = new LinkedHashMap<>();
        data.put("w32", f32.array());
        data.put("wbf", bf16.array());
        return SafetensorsHeader.read(file(dir, Map.of("w32", "F32", "wbf", "BF16"), data));
    }

    @Test
    void bf16IsWidenedToF32AndMatchesTheF32OriginalToBf16Precision(@TempDir Path dir) throws IOException {
        float[] original = values(1);
        float[] rounded = new float[original.length];
        Map<String, TensorEntry> entries = f32AndBf16(dir, original, rounded);
        try (NDManager m = NDManager.newBaseManager()) {
            NDArray a32 = TensorLoader.load(m, entries.get("w32"), DataType.FLOAT32);
            NDArray abf = TensorLoader.load(m, entries.get("wbf"), DataType.FLOAT32);
            assertEquals(DataType.FLOAT32, abf.getDataType());
            assertEquals(new Shape(SHAPE), abf.getShape());
            assertArrayEquals(original, a32.toFloatArray());
            assertArrayEquals(rounded, abf.toFloatArray());
            float[] widened = abf.toFloatArray();
            for (int i = 0; i < original.length; i++) {
                // BF16 keeps 8 significant bits: rounding moves a value by at most half a step, 2^-8 of its magnitude.
                assertEquals(original[i], widened[i], Math.abs(original[i]) * 0x1p-8f, "element " + i);
            }
        }
    }

    @Test
    void f16IsWidenedToF32WithItsExactValues(@TempDir Path dir) throws IOException {
        float[] exact = new float[3 * 5 * 7];
        ByteBuffer f16 = ByteBuffer.allocate(2 * exact.length).order(ByteOrder.LITTLE_ENDIAN);
        for (int i = 0; i < exact.length; i++) {
            exact[i] = (i % 2 == 0 ? 1 : -1) * (1 + i) / 8f;
            f16.putShort(toF16Exact(exact[i]));
        }
        Path f = file(dir, Map.of("w", "F16"), Map.of("w", f16.array()));
        try (NDManager m = NDManager.newBaseManager()) {
            NDArray a = TensorLoader.load(m, SafetensorsHeader.read(f).get("w"), DataType.FLOAT32);
            assertEquals(DataType.FLOAT32, a.getDataType());
            assertArrayEquals(exact, a.toFloatArray());
            NDArray kept = TensorLoader.load(m, SafetensorsHeader.read(f).get("w"), DataType.FLOAT16);
            assertEquals(DataType.FLOAT16, kept.getDataType());
            assertArrayEquals(exact, kept.toFloatArray());
        }
    }

    @Test
    void f32AndBf16NarrowedToF16AreTheF32ValuesRoundedToF16(@TempDir Path dir) throws IOException {
        float[] original = values(3);
        float[] bf16Values = new float[original.length];
        Map<String, TensorEntry> entries = f32AndBf16(dir, original, bf16Values);
        try (NDManager m = NDManager.newBaseManager()) {
            NDArray a32 = TensorLoader.load(m, entries.get("w32"), DataType.FLOAT16);
            NDArray abf = TensorLoader.load(m, entries.get("wbf"), DataType.FLOAT16);
            assertEquals(DataType.FLOAT16, abf.getDataType());
            // DJL's own F32 → F16 conversion in Java, independent of the engine's
            assertArrayEquals(halves(original), a32.toFloatArray());
            assertArrayEquals(halves(bf16Values), abf.toFloatArray());
        }
    }

    /** Each value rounded to the nearest F16 (half-way cases away from zero, which these values never meet). */
    static float[] halves(float[] values) {
        float[] out = new float[values.length];
        for (int i = 0; i < out.length; i++) {
            out[i] = Float16Utils.halfToFloat(Float16Utils.floatToHalf(values[i]));
        }
        return out;
    }

    @Test
    void aLoadedArrayOwnsItsDataWhenTheFileChangesAfterwards(@TempDir Path dir) throws IOException {
        float[] original = values(2);
        ByteBuffer f32 = ByteBuffer.allocate(4 * original.length).order(ByteOrder.LITTLE_ENDIAN);
        for (float v : original) {
            f32.putFloat(v);
        }
        Path f = file(dir, Map.of("w", "F32"), Map.of("w", f32.array()));
        TensorEntry entry = SafetensorsHeader.read(f).get("w");
        try (NDManager m = NDManager.newBaseManager()) {
            NDArray a = TensorLoader.load(m, entry, DataType.FLOAT32);
            try (var channel = java.nio.channels.FileChannel.open(f, java.nio.file.StandardOpenOption.WRITE)) {
                channel.write(ByteBuffer.allocate((int) entry.bytes()), entry.position());
            }
            assertArrayEquals(original, a.toFloatArray());
        }
    }

    @Test
    void integerTensorsAreRefusedByName(@TempDir Path dir) throws IOException {
        Path f = file(dir, Map.of("ids", "I16"), Map.of("ids", new byte[2 * 3 * 5 * 7]));
        try (NDManager m = NDManager.newBaseManager()) {
            IOException e = assertThrows(IOException.class,
                    () -> TensorLoader.load(m, SafetensorsHeader.read(f).get("ids"), DataType.FLOAT32));
            assertTrue(e.getMessage().contains("tensor ids is I16; only F32, F16 and BF16 weights are read"),
                    e.getMessage());
        }
    }
}
