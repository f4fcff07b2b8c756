package dev.asyncdiff.model.checkpoint;

import dev.asyncdiff.io.Safetensors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class SafetensorsHeaderTest {

    @Test
    void locatesEachTensorOfAFileTheProjectsWriterMade(@TempDir Path dir) throws IOException {
        Map<String, Safetensors.Tensor> tensors = new LinkedHashMap<>();
        tensors.put("x", new Safetensors.Tensor(new int[] {2, 3}, new float[] {1, 2, 3, 4, 5, 6}));
        tensors.put("y", new Safetensors.Tensor(new int[] {4}, new float[] {-1, -2, -3, -4}));
        byte[] bytes = Safetensors.encode(tensors);
        Path file = dir.resolve("t.safetensors");
        Files.write(file, bytes);
        Map<String, TensorEntry> read = SafetensorsHeader.read(file);
        assertArrayEquals(new long[] {2, 3}, read.get("x").shape());
        assertEquals(TensorDType.F32, read.get("y").dtype());
        // Reading each range straight from the file gives back the values written.
        ByteBuffer all = ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN);
        TensorEntry y = read.get("y");
        assertEquals(16, y.bytes());
        assertEquals(-1f, all.getFloat((int) y.position()));
        assertEquals(-4f, all.getFloat((int) y.position() + 12));
        assertEquals(bytes.length, y.position() + y.bytes());
    }

    @Test
    void aTruncatedFileIsNamedWithItsTensor(@TempDir Path dir) throws IOException {
        Path file = dir.resolve("t.safetensors");
        FakeCheckpoints.headerOnly(file, Map.of("w", new long[] {10, 10}), "F32");
        try (RandomAccessFile f = new RandomAccessFile(file.toFile(), "rw")) {
            f.setLength(f.length() - 1);
        }
        IOException e = assertThrows(IOException.class, () -> SafetensorsHeader.read(file));
        assertTrue(e.getMessage().contains("tensor w: data offsets [0, 400] lie outside the file"), e.getMessage());
    }

    @Test
    void aRangeThatDisagreesWithShapeAndDtypeIsRefused(@TempDir Path dir) throws IOException {
        Path file = dir.resolve("t.safetensors");
        FakeCheckpoints.headerOnly(file, Map.of("w", new long[] {10, 10}), "F32");
        byte[] bytes = Files.readAllBytes(file);
        String edited = new String(bytes, java.nio.charset.StandardCharsets.ISO_8859_1).replace("\"F32\"", "\"F16\"");
        Files.write(file, edited.getBytes(java.nio.charset.StandardCharsets.ISO_8859_1));
        IOException e = assertThrows(IOException.class, () -> SafetensorsHeader.read(file));
        assertTrue(e.getMessage().contains("holds 400 bytes but F16 [10,10] needs 200"), e.getMessage());
    }

    @Test
    void aFileThatIsNoSafetensorsIsSaidToBeOne(@TempDir Path dir) throws IOException {
        Path file = dir.resolve("t.safetensors");
        Files.writeString(file, "this is a text file");
        IOException e = assertThrows(IOException.class, () -> SafetensorsHeader.read(file));
        assertTrue(e.getMessage().contains("is not a safetensors file"), e.getMessage());
    }
}
