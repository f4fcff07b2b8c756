package dev.asyncdiff.model.checkpoint;

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
 * The entries of a zip archive and where each one's bytes start in the file, read from the central directory
 * (ZIP64 included) and each entry's local header, without reading any entry's data: what a {@code torch.save}
 * archive needs, whose entries are stored uncompressed so that a tensor can be memory-mapped where it lies.
 * Layout from PKWARE's APPNOTE.TXT (§4.3.7 local header, §4.3.12 central directory header, §4.3.14–16 end records,
 * §4.5.3 the ZIP64 extra field).
 */
final class ZipDirectory {
    /** One entry: where its data starts, its size, and whether it is stored (method 0) rather than compressed. */
    record Entry(String name, long dataStart, long size, boolean stored) {
    }

    private static final int END = 0x06054b50;
    private static final int END64 = 0x06064b50;
    private static final int END64_LOCATOR = 0x07064b50;
    private static final int CENTRAL = 0x02014b50;
    private static final int LOCAL = 0x04034b50;
    private static final int ZIP64_EXTRA = 0x0001;
    private static final long MAX_32 = 0xffffffffL;
    /** The end record (22 bytes) plus the longest comment it may carry. */
    private static final int END_SEARCH = 22 + 0xffff;

    private ZipDirectory() {
    }

    /** True when the file starts with a zip local header (a torch.save archive), false for anything else. */
    static boolean isZip(FileChannel channel) throws IOException {
        return channel.size() >= 4 && read(channel, 0, 4).getInt() == LOCAL;
    }

    /** The entries by name, in directory order; an IOException naming the file when it is not a readable zip. */
    static Map<String, Entry> read(Path file, FileChannel channel) throws IOException {
        long size = channel.size();
        int window = (int) Math.min(size, END_SEARCH);
        ByteBuffer tail = read(channel, size - window, window);
        int end = -1;
        for (int i = window - 22; i >= 0; i--) {
            if (tail.getInt(i) == END) {
                end = i;
                break;
            }
        }
        if (end < 0) {
            throw new IOException(file + " is not a zip archive (no end of central directory)");
        }
        long count = tail.getShort(end + 10) & 0xffff;
        long directorySize = tail.getInt(end + 12) & MAX_32;
        long directory = tail.getInt(end + 16) & MAX_32;
        long endAt = size - window + end;
        if ((count == 0xffff || directory == MAX_32 || directorySize == MAX_32) && endAt >= 20) {
            ByteBuffer locator = read(channel, endAt - 20, 20);
            if (locator.getInt(0) == END64_LOCATOR) {
                ByteBuffer end64 = read(channel, locator.getLong(8), 56);
                if (end64.getInt(0) != END64) {
                    throw new IOException(file + ": broken ZIP64 end of central directory");
                }
                count = end64.getLong(32);
                directorySize = end64.getLong(40);
                directory = end64.getLong(48);
            }
        }
        if (directory + directorySize > size || directorySize > Integer.MAX_VALUE) {
            throw new IOException(file + ": the central directory lies outside the file (truncated download?)");
        }
        ByteBuffer d = read(channel, directory, (int) directorySize);
        Map<String, Entry> out = new LinkedHashMap<>();
        int at = 0;
        for (long i = 0; i < count; i++) {
            if (at + 46 > d.limit() || d.getInt(at) != CENTRAL) {
                throw new IOException(file + ": broken central directory entry " + i);
            }
            int method = d.getShort(at + 10) & 0xffff;
            long size32 = d.getInt(at + 24) & MAX_32;
            long compressed32 = d.getInt(at + 20) & MAX_32;
            long local32 = d.getInt(at + 42) & MAX_32;
            int nameLength = d.getShort(at + 28) & 0xffff;
            int extraLength = d.getShort(at + 30) & 0xffff;
            int commentLength = d.getShort(at + 32) & 0xffff;
            String name = text(d, at + 46, nameLength);
            long[] wide = zip64(d, at + 46 + nameLength, extraLength, size32 == MAX_32, compressed32 == MAX_32,
                    local32 == MAX_32);
            long entrySize = size32 == MAX_32 ? wide[0] : size32;
            long local = local32 == MAX_32 ? wide[2] : local32;
            ByteBuffer header = read(channel, local, 30);
            if (header.getInt(0) != LOCAL) {
                throw new IOException(file + ": entry " + name + " has no local header where the directory says");
            }
            long dataStart = local + 30 + (header.getShort(26) & 0xffff) + (header.getShort(28) & 0xffff);
            if (method == 0 && dataStart + entrySize > size) {
                throw new IOException(file + ": entry " + name + " runs past the end of the file (truncated?)");
            }
            out.put(name, new Entry(name, dataStart, entrySize, method == 0));
            at += 46 + nameLength + extraLength + commentLength;
        }
        return out;
    }

    /** The ZIP64 extra field's values: [uncompressed size, compressed size, local header offset], those present. */
    private static long[] zip64(ByteBuffer d, int from, int length, boolean size, boolean compressed, boolean local) {
        long[] out = new long[3];
        int at = from;
        while (at + 4 <= from + length) {
            int id = d.getShort(at) & 0xffff;
            int n = d.getShort(at + 2) & 0xffff;
            if (id == ZIP64_EXTRA) {
                int v = at + 4;
                if (size) {
                    out[0] = d.getLong(v);
                    v += 8;
                }
                if (compressed) {
                    out[1] = d.getLong(v);
                    v += 8;
                }
                if (local) {
                    out[2] = d.getLong(v);
                }
            }
            at += 4 + n;
        }
        return out;
    }

    private static String text(ByteBuffer b, int from, int length) {
        byte[] bytes = new byte[length];
        b.get(from, bytes);
        return new String(bytes, StandardCharsets.UTF_8);
    }

    /** {@code length} bytes from {@code position}, little-endian; an IOException when the file is shorter. */
    static ByteBuffer read(FileChannel channel, long position, int length) throws IOException {
        ByteBuffer b = ByteBuffer.allocate(length).order(ByteOrder.LITTLE_ENDIAN);
        while (b.hasRemaining()) {
            if (channel.read(b, position + b.position()) < 0) {
                throw new IOException("unexpected end of file at byte " + (position + b.position()));
            }
        }
        return b.flip();
    }

    /** Opens {@code file} for reading. */
    static FileChannel open(Path file) throws IOException {
        return FileChannel.open(file, StandardOpenOption.READ);
    }
}
