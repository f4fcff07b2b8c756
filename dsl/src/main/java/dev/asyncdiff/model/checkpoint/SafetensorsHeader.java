package dev.asyncdiff.model.checkpoint;

import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Reads the header of a safetensors file — its 8-byte little-endian length and the JSON that follows — and nothing
 * of the data, so a multi-GB file is described in milliseconds. Every entry is checked against the file: its byte
 * range lies inside the data section and holds exactly shape × dtype bytes.
 */
public final class SafetensorsHeader {
    /** The format's own limit on the JSON header. */
    static final long MAX_HEADER_BYTES = 100L << 20;

    private SafetensorsHeader() {
    }

    /** The file's tensors in header order; an IOException naming the file and the fault otherwise. */
    public static Map<String, TensorEntry> read(Path file) throws IOException {
        try (FileChannel channel = FileChannel.open(file, StandardOpenOption.READ)) {
            long size = channel.size();
            ByteBuffer length = ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN);
            readFully(channel, length, 0);
            long headerBytes = length.flip().getLong();
            if (size < 8 || headerBytes <= 0 || headerBytes > MAX_HEADER_BYTES || 8 + headerBytes > size) {
                throw new IOException(file + " is not a safetensors file: header length " + headerBytes
                        + " does not fit its " + size + " bytes");
            }
            ByteBuffer json = ByteBuffer.allocate((int) headerBytes);
            readFully(channel, json, 8);
            JsonObject header;
            try {
                JsonElement parsed = JsonParser.parseString(new String(json.array(), StandardCharsets.UTF_8));
                header = parsed.getAsJsonObject();
            } catch (RuntimeException e) {
                throw new IOException(file + " is not a safetensors file: its header is not a JSON object");
            }
            return entries(file, header, 8 + headerBytes, size);
        }
    }

    private static void readFully(FileChannel channel, ByteBuffer buffer, long position) throws IOException {
        long at = position;
        while (buffer.hasRemaining()) {
            int n = channel.read(buffer, at);
            if (n < 0) {
                break;
            }
            at += n;
        }
    }

    private static Map<String, TensorEntry> entries(Path file, JsonObject header, long dataStart, long size)
            throws IOException {
        Map<String, TensorEntry> out = new LinkedHashMap<>();
        for (Map.Entry<String, JsonElement> e : header.entrySet()) {
            if (e.getKey().equals("__metadata__")) {
                continue;
            }
            try {
                out.put(e.getKey(), entry(file, e.getKey(), e.getValue().getAsJsonObject(), dataStart, size));
            } catch (RuntimeException bad) {
                throw new IOException(file + ": tensor " + e.getKey() + ": " + bad.getMessage());
            }
        }
        return out;
    }

    private static TensorEntry entry(Path file, String name, JsonObject info, long dataStart, long size) {
        TensorDType dtype = TensorDType.parse(info.get("dtype").getAsString());
        JsonArray s = info.getAsJsonArray("shape");
        long[] shape = new long[s.size()];
        for (int i = 0; i < shape.length; i++) {
            shape[i] = s.get(i).getAsLong();
            if (shape[i] < 0) {
                throw new IllegalArgumentException("negative dimension in its shape " + s);
            }
        }
        JsonArray o = info.getAsJsonArray("data_offsets");
        long begin = o.get(0).getAsLong();
        long end = o.get(1).getAsLong();
        if (begin < 0 || end < begin || dataStart + end > size) {
            throw new IllegalArgumentException("data offsets [" + begin + ", " + end + "] lie outside the file "
                    + "(truncated or corrupt)");
        }
        long expected = Math.multiplyExact(TensorEntry.elements(shape), dtype.bytes);
        if (end - begin != expected) {
            throw new IllegalArgumentException("holds " + (end - begin) + " bytes but " + dtype + " " + s + " needs "
                    + expected);
        }
        return new TensorEntry(name, dtype, shape, file, dataStart + begin, end - begin);
    }
}
