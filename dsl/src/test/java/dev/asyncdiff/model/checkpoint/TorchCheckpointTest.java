package dev.asyncdiff.model.checkpoint;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import com.google.gson.JsonParser;
import dev.asyncdiff.io.Safetensors;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Checkpoints written by PyTorch's own torch.save (bench/reference/torch_checkpoints.py, Debian's python3-torch) read
 * as the values torch holds: every key in saved order, shapes, dtypes and data — F32, F16, BF16 and an int64 buffer,
 * a 0-d tensor, a Parameter, views sharing one storage at offsets — through the top level, a nested "state_dict" and
 * pickle protocol 4; and the files this reader refuses are refused with one line naming them.
 */
class TorchCheckpointTest {
    @TempDir
    static Path tmp;
    static Map<String, Safetensors.Tensor> reference;
    static List<String> keys;

    @BeforeAll
    static void write() throws Exception {
        reference = ReferenceScript.run("torch_checkpoints.py", tmp, Map.of());
        Path run;
        try (var runs = Files.list(tmp)) {
            run = runs.filter(p -> p.getFileName().toString().startsWith("run")).findFirst().orElseThrow();
        }
        keys = new ArrayList<>();
        JsonParser.parseString(Files.readString(run.resolve("keys.json"))).getAsJsonArray()
                .forEach(k -> keys.add(k.getAsString()));
    }

    private static void assertReadsAsSaved(String file, String prefix) throws Exception {
        Map<String, TensorEntry> entries = TorchCheckpoint.stateDict(tmp.resolve(file));
        assertEquals(keys, new ArrayList<>(entries.keySet()), file + ": keys in saved order");
        try (NDManager m = NDManager.newBaseManager()) {
            for (String key : keys) {
                TensorEntry e = entries.get(key);
                Safetensors.Tensor want = reference.get(prefix + key);
                assertArrayEquals(java.util.Arrays.stream(want.shape()).asLongStream().toArray(), e.shape(), key);
                float[] got = e.dtype() == TensorDType.I64 ? longs(e) : TensorLoader.load(m, e, DataType.FLOAT32)
                        .toFloatArray();
                assertArrayEquals(want.data(), got, key + " (" + e.dtype() + ")");
            }
        }
        assertEquals(TensorDType.F16, entries.get("half").dtype());
        assertEquals(TensorDType.BF16, entries.get("bf16").dtype());
        assertEquals(TensorDType.I64, entries.get("position_ids").dtype());
        assertEquals(0, entries.get("scale").shape().length, "a 0-d tensor");
        assertEquals(entries.get("whole").position() + 3 * 4, entries.get("window").position(),
                "a view 3 floats into the storage it shares");
    }

    /** An int64 tensor's values straight from its bytes (TensorLoader reads float weights only). */
    private static float[] longs(TensorEntry e) throws Exception {
        try (FileChannel c = FileChannel.open(e.file())) {
            ByteBuffer b = c.map(FileChannel.MapMode.READ_ONLY, e.position(), e.bytes()).order(ByteOrder.LITTLE_ENDIAN);
            float[] out = new float[(int) e.elements()];
            for (int i = 0; i < out.length; i++) {
                out[i] = b.getLong();
            }
            return out;
        }
    }

    @Test
    void aStateDictReadsAsTorchSavedIt() throws Exception {
        assertReadsAsSaved("plain.pt", "plain/");
    }

    @Test
    void aStateDictNestedUnderStateDictIsTheOneRead() throws Exception {
        assertReadsAsSaved("nested.pt", "nested/");
    }

    @Test
    void pickleProtocol4ReadsTheSame() throws Exception {
        assertReadsAsSaved("protocol4.pt", "plain/");
    }

    @Test
    void refusedFilesAreOneLineNamingTheFileAndTheReason() throws Exception {
        Path text = tmp.resolve("weights.txt");
        Files.writeString(text, "not a checkpoint");
        Path truncated = tmp.resolve("truncated.pt");
        byte[] whole = Files.readAllBytes(tmp.resolve("plain.pt"));
        Files.write(truncated, java.util.Arrays.copyOf(whole, whole.length / 2));
        Map<Path, String> cases = Map.of(
                tmp.resolve("noncontiguous.pt"), "tensor t is not contiguous (size [3, 2], stride [1, 3])",
                tmp.resolve("legacy.pt"), "legacy (PyTorch < 1.6) checkpoint; re-save it",
                tmp.resolve("notensors.pt"), "holds no tensors at its top level or under \"state_dict\" (its keys: "
                        + "[epoch, lr])",
                text, "this file is not one",
                truncated, "not a zip archive",
                tmp.resolve("absent.pt"), "is not a file");
        cases.forEach((file, reason) -> {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                    () -> TorchCheckpoint.stateDict(file));
            assertTrue(e.getMessage().startsWith(file.toString()), e.getMessage());
            assertTrue(e.getMessage().contains(reason), file.getFileName() + ": " + e.getMessage());
            assertTrue(!e.getMessage().contains("\n"), "one line: " + e.getMessage());
        });
        assertTrue(TorchCheckpoint.isArchive(tmp.resolve("plain.pt")));
        assertTrue(!TorchCheckpoint.isArchive(tmp.resolve("legacy.pt")));
    }

    @Test
    void contiguityAllowsAnyStrideOnUnitDimensions() {
        assertTrue(TorchCheckpoint.contiguous(new long[] {2, 3}, new long[] {3, 1}));
        assertTrue(TorchCheckpoint.contiguous(new long[] {1, 6}, new long[] {0, 1}));
        assertTrue(TorchCheckpoint.contiguous(new long[] {}, new long[] {}));
        assertTrue(!TorchCheckpoint.contiguous(new long[] {2, 3}, new long[] {1, 2}));
        assertTrue(!TorchCheckpoint.contiguous(new long[] {2, 3}, new long[] {3}));
    }
}
