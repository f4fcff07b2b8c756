package dev.asyncdiff.model.checkpoint;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;

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
 * the data, and no file is read whole. F32 and F16 arrive as they are stored; BF16, which DJL cannot hold (creating
 * such an array aborts the JVM), is widened to F32 on the way — its 16 bits are the top half of the F32 bits.
 * Each array owns a copy of its data, so the file may change or go once it is loaded.
 */
public final class TensorLoader {
    private TensorLoader() {
    }

    public static NDArray load(NDManager manager, TensorEntry t) throws IOException {
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
        DataType type = t.dtype() == TensorDType.F16 ? DataType.FLOAT16 : DataType.FLOAT32;
        // The array made from a direct buffer points into it; the duplicate owns native memory of its own.
        try (NDArray view = manager.create(data, shape, type)) {
            return view.duplicate();
        }
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
