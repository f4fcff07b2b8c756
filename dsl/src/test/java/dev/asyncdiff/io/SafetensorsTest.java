package dev.asyncdiff.io;

import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class SafetensorsTest {

    @Test
    void tensorsSurviveARoundTripInOrder() throws IOException {
        Map<String, Safetensors.Tensor> m = new LinkedHashMap<>();
        m.put("b", new Safetensors.Tensor(new int[] {2, 2}, new float[] {1, 2, 3, 4}));
        m.put("a", new Safetensors.Tensor(new int[] {3}, new float[] {-1, 0.5f, Float.MIN_VALUE}));
        Map<String, Safetensors.Tensor> back = Safetensors.decode(Safetensors.encode(m));
        assertEquals(java.util.List.of("b", "a"), new java.util.ArrayList<>(back.keySet()));
        assertArrayEquals(m.get("a").data(), back.get("a").data());
        assertArrayEquals(new int[] {2, 2}, back.get("b").shape());
    }

    @Test
    void theLayoutIsTheSafetensorsOne() {
        byte[] bytes = Safetensors.encode(Map.of("x", new Safetensors.Tensor(new int[] {1}, new float[] {1.5f})));
        ByteBuffer b = ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN);
        long n = b.getLong();
        String header = new String(bytes, 8, (int) n, StandardCharsets.UTF_8);
        assertTrue(header.contains("\"dtype\":\"F32\"") && header.contains("\"data_offsets\":[0,4]"), header);
        assertEquals(0, (8 + n) % 8);
        assertEquals(1.5f, b.getFloat(8 + (int) n));
    }

    @Test
    void truncatedOrGarbageFilesAreReportedNotMisread() {
        byte[] good = Safetensors.encode(Map.of("x", new Safetensors.Tensor(new int[] {4}, new float[4])));
        assertThrows(IOException.class, () -> Safetensors.decode(Arrays.copyOf(good, good.length - 3)));
        assertThrows(IOException.class, () -> Safetensors.decode(new byte[] {1, 2, 3}));
        assertThrows(IOException.class, () -> Safetensors.decode("garbage garbage garbage".getBytes(StandardCharsets.UTF_8)));
    }
}
