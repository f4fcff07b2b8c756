package dev.asyncdiff.model.checkpoint;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ShardIndexTest {
    static Map<String, long[]> tensors() {
        Map<String, long[]> t = new LinkedHashMap<>();
        t.put("a.weight", new long[] {4, 3});
        t.put("a.bias", new long[] {4});
        t.put("b.weight", new long[] {2, 2, 3, 3});
        t.put("c.weight", new long[] {5});
        return t;
    }

    @Test
    void readsEveryTensorFromTheShardTheIndexNames(@TempDir Path dir) throws IOException {
        FakeCheckpoints.write(dir, "model", tensors(), "F16", 3);
        ShardIndex index = ShardIndex.read(dir.resolve("model.safetensors.index.json"));
        assertEquals(3, index.shards().size());
        Map<String, TensorEntry> read = index.tensors();
        assertEquals(List.copyOf(tensors().keySet()), List.copyOf(read.keySet()));
        for (Map.Entry<String, long[]> e : tensors().entrySet()) {
            TensorEntry t = read.get(e.getKey());
            assertArrayEquals(e.getValue(), t.shape());
            assertEquals(TensorDType.F16, t.dtype());
            assertEquals(2 * t.elements(), t.bytes());
            assertEquals(dir.resolve(index.weightMap().get(e.getKey())), t.file());
        }
        // The last shard holds b and c back to back after its header: c starts right after b's 2·2·3·3 F16 values.
        TensorEntry b = read.get("b.weight");
        assertEquals(b.file(), read.get("c.weight").file());
        assertEquals(b.position() + 72, read.get("c.weight").position());
    }

    @Test
    void aComponentFolderPrefersItsIndexOverTheShards(@TempDir Path dir) throws IOException {
        Files.writeString(dir.resolve(ComponentConfig.FILE), "{}");
        FakeCheckpoints.write(dir, "model", tensors(), "BF16", 2);
        assertEquals(tensors().keySet(), ComponentFolder.open(dir).tensors().keySet());
    }

    @Test
    void aMissingShardIsNamed(@TempDir Path dir) throws IOException {
        FakeCheckpoints.write(dir, "model", tensors(), "F32", 2);
        Files.delete(dir.resolve("model-00002-of-00002.safetensors"));
        IOException e = assertThrows(IOException.class,
                () -> ShardIndex.read(dir.resolve("model.safetensors.index.json")).tensors());
        assertTrue(e.getMessage().contains("names shard model-00002-of-00002.safetensors, which does not exist"),
                e.getMessage());
    }

    @Test
    void anIndexEntryItsShardLacksIsNamed(@TempDir Path dir) throws IOException {
        FakeCheckpoints.write(dir, "model", tensors(), "F32", 2);
        Path index = dir.resolve("model.safetensors.index.json");
        Files.writeString(index, Files.readString(index).replace("}}",
                ",\"d.weight\":\"model-00001-of-00002.safetensors\"}}"));
        IOException e = assertThrows(IOException.class, () -> ShardIndex.read(index).tensors());
        assertTrue(e.getMessage().contains("puts d.weight in model-00001-of-00002.safetensors, whose header lacks it"),
                e.getMessage());
    }

    @Test
    void severalLooseFilesWithoutAnIndexAreRefused(@TempDir Path dir) throws IOException {
        Files.writeString(dir.resolve(ComponentConfig.FILE), "{}");
        FakeCheckpoints.write(dir, "model", tensors(), "F32", 2);
        Files.delete(dir.resolve("model.safetensors.index.json"));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> ComponentFolder.open(dir));
        assertTrue(e.getMessage().contains("several .safetensors files"), e.getMessage());
    }
}
