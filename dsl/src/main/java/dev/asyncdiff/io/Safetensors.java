package dev.asyncdiff.io;

import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The safetensors format for F32 tensors: an 8-byte little-endian header length, a JSON header mapping each name
 * to {dtype, shape, data_offsets}, then the raw little-endian data. Written without DJL so the CLI's plain
 * sampling path starts without loading native libraries.
 */
public final class Safetensors {
    private Safetensors() {
    }

    /** A named F32 tensor. */
    public record Tensor(int[] shape, float[] data) {
        public Tensor {
            long n = 1;
            for (int d : shape) {
                n *= d;
            }
            if (n != data.length) {
                throw new IllegalArgumentException("tensor shape " + java.util.Arrays.toString(shape) + " holds " + n
                        + " values but " + data.length + " were given");
            }
        }
    }

    /** A [rows, …rowShape] tensor from equally long rows. */
    public static Tensor stack(float[][] rows, int[] rowShape) {
        int per = 1;
        for (int d : rowShape) {
            per *= d;
        }
        float[] data = new float[rows.length * per];
        for (int i = 0; i < rows.length; i++) {
            System.arraycopy(rows[i], 0, data, i * per, per);
        }
        int[] shape = new int[rowShape.length + 1];
        shape[0] = rows.length;
        System.arraycopy(rowShape, 0, shape, 1, rowShape.length);
        return new Tensor(shape, data);
    }

    public static byte[] encode(Map<String, Tensor> tensors) {
        JsonObject header = new JsonObject();
        long offset = 0;
        for (Map.Entry<String, Tensor> e : tensors.entrySet()) {
            JsonObject info = new JsonObject();
            info.addProperty("dtype", "F32");
            JsonArray shape = new JsonArray();
            for (int d : e.getValue().shape()) {
                shape.add(d);
            }
            info.add("shape", shape);
            JsonArray offsets = new JsonArray();
            long bytes = 4L * e.getValue().data().length;
            offsets.add(offset);
            offsets.add(offset + bytes);
            info.add("data_offsets", offsets);
            header.add(e.getKey(), info);
            offset += bytes;
        }
        byte[] json = header.toString().getBytes(StandardCharsets.UTF_8);
        int pad = (8 - json.length % 8) % 8; // keeps the data 8-byte aligned, as the format recommends
        int headerLength = json.length + pad;
        ByteBuffer buf = ByteBuffer.allocate(Math.toIntExact(8 + headerLength + offset)).order(ByteOrder.LITTLE_ENDIAN);
        buf.putLong(headerLength);
        buf.put(json);
        for (int i = 0; i < pad; i++) {
            buf.put((byte) ' ');
        }
        for (Tensor t : tensors.values()) {
            buf.asFloatBuffer().put(t.data());
            buf.position(buf.position() + 4 * t.data().length);
        }
        return buf.array();
    }

    /** Reads F32 tensors, in file order; anything malformed is an IOException saying what. */
    public static Map<String, Tensor> decode(byte[] bytes) throws IOException {
        if (bytes.length < 8) {
            throw new IOException("not a safetensors file: shorter than its 8-byte header length");
        }
        ByteBuffer buf = ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN);
        long headerLength = buf.getLong();
        if (headerLength <= 0 || headerLength > bytes.length - 8) {
            throw new IOException("not a safetensors file: header length " + headerLength + " does not fit the file");
        }
        JsonObject header;
        try {
            JsonElement parsed = JsonParser.parseString(new String(bytes, 8, (int) headerLength, StandardCharsets.UTF_8));
            header = parsed.getAsJsonObject();
        } catch (RuntimeException e) {
            throw new IOException("not a safetensors file: its header is not a JSON object");
        }
        int dataStart = 8 + (int) headerLength;
        Map<String, Tensor> out = new LinkedHashMap<>();
        for (Map.Entry<String, JsonElement> e : header.entrySet()) {
            if (e.getKey().equals("__metadata__")) {
                continue;
            }
            JsonObject info = e.getValue().getAsJsonObject();
            String dtype = info.get("dtype").getAsString();
            if (!dtype.equals("F32")) {
                throw new IOException("tensor " + e.getKey() + " is " + dtype + "; only F32 is read here");
            }
            JsonArray s = info.getAsJsonArray("shape");
            int[] shape = new int[s.size()];
            for (int i = 0; i < shape.length; i++) {
                shape[i] = s.get(i).getAsInt();
            }
            JsonArray o = info.getAsJsonArray("data_offsets");
            long begin = o.get(0).getAsLong();
            long end = o.get(1).getAsLong();
            if (begin < 0 || end < begin || dataStart + end > bytes.length || (end - begin) % 4 != 0) {
                throw new IOException("tensor " + e.getKey() + " has data offsets [" + begin + ", " + end
                        + "] outside the file (truncated or corrupt)");
            }
            float[] data = new float[(int) ((end - begin) / 4)];
            ByteBuffer.wrap(bytes, dataStart + (int) begin, (int) (end - begin)).order(ByteOrder.LITTLE_ENDIAN)
                    .asFloatBuffer().get(data);
            try {
                out.put(e.getKey(), new Tensor(shape, data));
            } catch (IllegalArgumentException bad) {
                throw new IOException("tensor " + e.getKey() + ": " + bad.getMessage());
            }
        }
        return out;
    }
}
