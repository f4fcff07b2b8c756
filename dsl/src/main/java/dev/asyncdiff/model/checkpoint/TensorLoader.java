package dev.asyncdiff.model.checkpoint;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import dev.asyncdiff.nn.NativeData;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.IntBuffer;
import java.nio.MappedByteBuffer;
import java.nio.ShortBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.StandardOpenOption;

/**
 * Reads one tensor's bytes into a native array by memory-mapping only its byte range: the Java heap never holds
 * the data, and no file is read whole. The array is made on the manager's device in the float type asked for,
 * one tensor at a time, so the host holds at most one tensor's bytes beside the mapped file: F32 and F16 are
 * converted from the stored type by the engine; BF16, which DJL cannot hold (creating such an array aborts the
 * JVM), is first widened to F32 in Java — its 16 bits are the top half of the F32 bits — and then converted.
 * Each array owns a copy of its data, so the file may change or go once it is loaded.
 */
public final class TensorLoader {
    private TensorLoader() {
    }

    /** The tensor as FLOAT32 or FLOAT16 ({@code type}) on the device of {@code manager}. */
    public static NDArray load(NDManager manager, TensorEntry t, DataType type) throws IOException {
        if (t.bytes() > Integer.MAX_VALUE / (t.dtype() == TensorDType.BF16 ? 2 : 1)) {
            throw new IOException(t.file() + ": tensor " + t.name() + " (" + t.bytes() + " bytes) is larger than one "
                    + "mapped buffer can hold (2 GiB after widening)");
        }
        Shape shape = new Shape(t.shape());
        MappedByteBuffer mapped;
        try (FileChannel channel = FileChannel.open(t.file(), StandardOpenOption.READ)) {
            mapped = channel.map(FileChannel.MapMode.READ_ONLY, t.position(), t.bytes());
        }
        ByteBuffer data = switch (t.dtype()) {
            case F32, F16 -> mapped.order(ByteOrder.LITTLE_ENDIAN);
            case BF16 -> widenBf16(mapped);
            default -> throw new IOException(t.file() + ": tensor " + t.name() + " is " + t.dtype()
                    + "; only F32, F16 and BF16 weights are read");
        };
        DataType stored = t.dtype() == TensorDType.F16 ? DataType.FLOAT16 : DataType.FLOAT32;
        return NativeData.of(manager, data, shape, stored, type);
    }

    /** BF16 → F32: the F32 bit pattern is the BF16 pattern shifted into the top 16 bits. */
    static ByteBuffer widenBf16(ByteBuffer bf16) {
        ShortBuffer in = bf16.order(ByteOrder.LITTLE_ENDIAN).asShortBuffer();
        ByteBuffer out = ByteBuffer.allocateDirect(in.remaining() * 4).order(ByteOrder.nativeOrder());
        IntBuffer bits = out.asIntBuffer();
        while (in.hasRemaining()) {
            bits.put((in.get() & 0xffff) << 16);
        }
        return out;
    }
}
