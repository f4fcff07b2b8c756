package dev.asyncdiff.model.checkpoint;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The tensors of a PyTorch checkpoint written by {@code torch.save} (PyTorch ≥ 1.6's zip format: {@code
 * ARCHIVE/data.pkl}, a pickle whose tensors refer by persistent id to raw storages stored uncompressed as {@code
 * ARCHIVE/data/KEY}), as {@link TensorEntry}s that point at each tensor's bytes inside the archive, so that {@link
 * TensorLoader} memory-maps them as it does safetensors: the pickle (kilobytes) is read, the tensor data never is.
 * This is how ImageReward ({@code ImageReward.pt}: a state dict) and HPSv2 ({@code HPS_v2*_compressed.pt}: a dict
 * holding the state dict under {@code "state_dict"}) are published.
 * <p>
 * A tensor is {@code torch._utils._rebuild_tensor_v2(storage, offset, size, stride, …)} (or a Parameter around one);
 * a storage's persistent id is {@code ("storage", torch.<Type>Storage, key, location, numel)}. Only tensors laid out
 * contiguously in their storage (what a state dict holds) are accepted; several may share a storage at different
 * offsets. Values that are not tensors (epochs, names, an OrderedDict's metadata) are ignored.
 */
public final class TorchCheckpoint {
    /** The dict key under which training scripts (HPSv2's among them) keep the model's state dict. */
    public static final String NESTED = "state_dict";

    private record Storage(TensorDType dtype, String key, long elements) {
    }

    private record Tensor(Storage storage, long offset, long[] shape, long[] stride) {
    }

    private TorchCheckpoint() {
    }

    /** True when {@code file} is a torch.save zip archive (by its first bytes), false for anything else. */
    public static boolean isArchive(Path file) {
        try (FileChannel c = ZipDirectory.open(file)) {
            return ZipDirectory.isZip(c);
        } catch (IOException e) {
            return false;
        }
    }

    /**
     * The tensors of the state dict in {@code file}, by key, in the file's order: the top-level dict's tensors, or,
     * when the top-level dict holds a dict under {@value #NESTED}, that dict's. An IllegalArgumentException (one
     * line naming the file) for a file that is not a torch.save zip archive (a legacy pre-1.6 pickle is named as
     * such), a pickle this reader cannot follow, a storage type it does not know, a non-contiguous or out-of-range
     * tensor, or a checkpoint without tensors.
     */
    public static Map<String, TensorEntry> stateDict(Path file) {
        if (!Files.isRegularFile(file)) {
            throw new IllegalArgumentException(file + " is not a file");
        }
        try (FileChannel channel = ZipDirectory.open(file)) {
            if (!ZipDirectory.isZip(channel)) {
                boolean pickle = channel.size() > 0 && (ZipDirectory.read(channel, 0, 1).get() & 0xff) == 0x80;
                throw new IOException(pickle ? "it is a legacy (PyTorch < 1.6) checkpoint; re-save it in the zip "
                        + "format: torch.save(torch.load(OLD), NEW)" : "torch.save writes a zip archive, and this "
                        + "file is not one");
            }
            Map<String, ZipDirectory.Entry> entries = ZipDirectory.read(file, channel);
            String archive = archiveName(entries);
            checkByteOrder(channel, entries.get(archive + "byteorder"));
            ZipDirectory.Entry pkl = entries.get(archive + "data.pkl");
            Object root = Unpickler.load(bytesOf(channel, pkl), TorchCheckpoint::rebuild,
                    TorchCheckpoint::storage);
            return entries(file, archive, entries, tensorsOf(root));
        } catch (IOException | RuntimeException e) {
            throw new IllegalArgumentException(file + " cannot be read as a PyTorch checkpoint: " + e.getMessage());
        }
    }

    /** The folder name every entry starts with ("archive/" or the file's stem), from the one data.pkl. */
    private static String archiveName(Map<String, ZipDirectory.Entry> entries) throws IOException {
        List<String> pickles = entries.keySet().stream().filter(n -> n.endsWith("/data.pkl")
                && n.indexOf('/') == n.length() - "/data.pkl".length()).toList();
        if (pickles.size() != 1) {
            throw new IOException("a torch.save archive holds exactly one ARCHIVE/data.pkl; found " + pickles.size());
        }
        return pickles.get(0).substring(0, pickles.get(0).length() - "data.pkl".length());
    }

    private static void checkByteOrder(FileChannel channel, ZipDirectory.Entry order) throws IOException {
        if (order != null) {
            String text = new String(bytesOf(channel, order), StandardCharsets.US_ASCII).strip();
            if (!text.equals("little")) {
                throw new IOException("its storages are " + text + "-endian; only little-endian ones are read");
            }
        }
    }

    private static byte[] bytesOf(FileChannel channel, ZipDirectory.Entry e) throws IOException {
        if (!e.stored()) {
            throw new IOException(e.name() + " is compressed; torch.save stores entries uncompressed");
        }
        if (e.size() > Integer.MAX_VALUE) {
            throw new IOException(e.name() + " is too large to be a pickle of a state dict");
        }
        return ZipDirectory.read(channel, e.dataStart(), (int) e.size()).array();
    }

    /** The calls a state dict's pickle makes: containers and tensors are rebuilt; anything else stays a Call. */
    private static Object rebuild(Unpickler.Global g, List<Object> args) throws IOException {
        String name = g.toString();
        switch (name) {
            case "collections.OrderedDict" -> {
                return new LinkedHashMap<>();
            }
            case "torch._utils._rebuild_tensor_v2", "torch._utils._rebuild_tensor" -> {
                if (args.size() < 4 || !(args.get(0) instanceof Storage s)) {
                    throw new IOException(name + " called without a storage, offset, size and stride");
                }
                return new Tensor(s, number(args.get(1)), longs(args.get(2)), longs(args.get(3)));
            }
            case "torch._utils._rebuild_parameter", "torch._utils._rebuild_parameter_with_state" -> {
                return args.get(0);
            }
            default -> {
                return new Unpickler.Call(g, args);
            }
        }
    }

    /** A persistent id ("storage", torch.XStorage, key, location, numel) → the storage it names. */
    private static Object storage(Object id) {
        if (!(id instanceof List<?> t) || t.size() < 5 || !"storage".equals(t.get(0))
                || !(t.get(1) instanceof Unpickler.Global type)) {
            throw new IllegalArgumentException("unknown persistent id " + id + " in its pickle");
        }
        TensorDType dtype = switch (type.name()) {
            case "FloatStorage" -> TensorDType.F32;
            case "HalfStorage" -> TensorDType.F16;
            case "BFloat16Storage" -> TensorDType.BF16;
            case "DoubleStorage" -> TensorDType.F64;
            case "LongStorage" -> TensorDType.I64;
            case "IntStorage" -> TensorDType.I32;
            case "ShortStorage" -> TensorDType.I16;
            case "CharStorage" -> TensorDType.I8;
            case "ByteStorage" -> TensorDType.U8;
            case "BoolStorage" -> TensorDType.BOOL;
            default -> throw new IllegalArgumentException("storage type " + type + " is not supported");
        };
        return new Storage(dtype, String.valueOf(t.get(2)), number(t.get(4)));
    }

    /** The tensors of the root dict, or of its nested state dict, by key. */
    private static Map<String, Tensor> tensorsOf(Object root) throws IOException {
        if (!(root instanceof Map<?, ?> top)) {
            throw new IOException("it holds a " + describe(root) + ", not a dict of tensors (a state dict)");
        }
        Map<?, ?> dict = top.get(NESTED) instanceof Map<?, ?> nested ? nested : top;
        Map<String, Tensor> out = new LinkedHashMap<>();
        for (Map.Entry<?, ?> e : dict.entrySet()) {
            if (e.getValue() instanceof Tensor t) {
                out.put(String.valueOf(e.getKey()), t);
            }
        }
        if (out.isEmpty()) {
            List<String> keys = new ArrayList<>();
            top.keySet().forEach(k -> keys.add(String.valueOf(k)));
            throw new IOException("it holds no tensors at its top level or under \"" + NESTED + "\" (its keys: "
                    + keys.subList(0, Math.min(10, keys.size())) + ")");
        }
        return out;
    }

    private static Map<String, TensorEntry> entries(Path file, String archive, Map<String, ZipDirectory.Entry> zip,
                                                    Map<String, Tensor> tensors) throws IOException {
        Map<String, TensorEntry> out = new LinkedHashMap<>();
        for (Map.Entry<String, Tensor> e : tensors.entrySet()) {
            String key = e.getKey();
            Tensor t = e.getValue();
            ZipDirectory.Entry data = zip.get(archive + "data/" + t.storage.key);
            if (data == null || !data.stored()) {
                throw new IOException("tensor " + key + ": storage " + t.storage.key
                        + (data == null ? " is missing from the archive" : " is compressed"));
            }
            if (!contiguous(t.shape, t.stride)) {
                throw new IOException("tensor " + key + " is not contiguous (size " + Arrays.toString(
                        t.shape) + ", stride " + Arrays.toString(t.stride) + "); save .contiguous() copies");
            }
            long elements = TensorEntry.elements(t.shape);
            int size = t.storage.dtype.bytes;
            if (t.offset < 0 || t.offset + elements > t.storage.elements
                    || (t.storage.elements * size) > data.size()) {
                throw new IOException("tensor " + key + " lies outside its storage " + t.storage.key);
            }
            out.put(key, new TensorEntry(key, t.storage.dtype, t.shape, file, data.dataStart() + t.offset * size,
                    elements * size));
        }
        return out;
    }

    /** Row-major strides for the shape; a dimension of size 1 may carry any stride. */
    static boolean contiguous(long[] shape, long[] stride) {
        if (shape.length != stride.length) {
            return false;
        }
        long expected = 1;
        for (int i = shape.length - 1; i >= 0; i--) {
            if (shape[i] != 1 && stride[i] != expected) {
                return false;
            }
            expected *= shape[i];
        }
        return true;
    }

    private static long number(Object o) {
        if (o instanceof Long l) {
            return l;
        }
        throw new IllegalArgumentException("expected an integer in the pickle, found " + describe(o));
    }

    private static long[] longs(Object o) {
        if (!(o instanceof List<?> list)) {
            throw new IllegalArgumentException("expected a tuple of integers in the pickle, found " + describe(o));
        }
        long[] out = new long[list.size()];
        for (int i = 0; i < out.length; i++) {
            out[i] = number(list.get(i));
        }
        return out;
    }

    private static String describe(Object o) {
        return o == null ? "None" : o instanceof Unpickler.Call c ? c.callable() + "(…)" : o.getClass().getSimpleName();
    }
}
