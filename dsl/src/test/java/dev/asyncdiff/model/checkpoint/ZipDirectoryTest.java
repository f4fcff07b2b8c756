package dev.asyncdiff.model.checkpoint;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The zip directory reader on archives written independently: by java.util.zip (stored and deflated entries, a
 * comment after the end record), and in the ZIP64 form that archives over 4 GiB take (written here byte by byte from
 * PKWARE's APPNOTE: sizes and offsets 0xFFFFFFFF in the central directory, the real values in the ZIP64 extra field,
 * the ZIP64 end record and its locator).
 */
class ZipDirectoryTest {
    @TempDir
    Path tmp;

    private static Map<String, ZipDirectory.Entry> read(Path file) throws IOException {
        try (FileChannel c = ZipDirectory.open(file)) {
            return ZipDirectory.read(file, c);
        }
    }

    private static byte[] bytesAt(Path file, ZipDirectory.Entry e) throws IOException {
        try (FileChannel c = ZipDirectory.open(file)) {
            return ZipDirectory.read(c, e.dataStart(), (int) e.size()).array();
        }
    }

    @Test
    void entriesWrittenByJavaUtilZipAreFoundWithTheirDataStarts() throws IOException {
        Path file = tmp.resolve("a.zip");
        byte[] stored = "stored bytes, read in place".getBytes(StandardCharsets.UTF_8);
        try (ZipOutputStream z = new ZipOutputStream(Files.newOutputStream(file))) {
            ZipEntry s = new ZipEntry("archive/data/0");
            s.setMethod(ZipEntry.STORED);
            s.setSize(stored.length);
            java.util.zip.CRC32 crc = new java.util.zip.CRC32();
            crc.update(stored);
            s.setCrc(crc.getValue());
            s.setExtra(new byte[] {(byte) 0xfe, (byte) 0xca, 3, 0, 1, 2, 3}); // a local extra field to skip
            z.putNextEntry(s);
            z.write(stored);
            z.closeEntry();
            z.putNextEntry(new ZipEntry("archive/notes.txt"));
            z.write("deflated".getBytes(StandardCharsets.UTF_8));
            z.closeEntry();
            z.setComment("a comment after the end record");
        }
        Map<String, ZipDirectory.Entry> entries = read(file);
        assertEquals(List.of("archive/data/0", "archive/notes.txt"), List.copyOf(entries.keySet()));
        assertTrue(entries.get("archive/data/0").stored());
        assertFalse(entries.get("archive/notes.txt").stored());
        assertArrayEquals(stored, bytesAt(file, entries.get("archive/data/0")));
    }

    @Test
    void aZip64ArchiveIsReadFromItsZip64Records() throws IOException {
        byte[] first = "first entry".getBytes(StandardCharsets.UTF_8);
        byte[] second = "the second one".getBytes(StandardCharsets.UTF_8);
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        long[] offsets = new long[2];
        byte[][] data = {first, second};
        String[] names = {"big/data/0", "big/data/1"};
        for (int i = 0; i < 2; i++) {
            offsets[i] = out.size();
            out.write(local(names[i], data[i].length));
            out.write(data[i]);
        }
        long directory = out.size();
        for (int i = 0; i < 2; i++) {
            out.write(central(names[i], data[i].length, offsets[i]));
        }
        long directorySize = out.size() - directory;
        long end64 = out.size();
        ByteBuffer e64 = le(56).putInt(0x06064b50).putLong(44).putShort((short) 45).putShort((short) 45).putInt(0)
                .putInt(0).putLong(2).putLong(2).putLong(directorySize).putLong(directory);
        out.write(e64.array());
        out.write(le(20).putInt(0x07064b50).putInt(0).putLong(end64).putInt(1).array());
        out.write(le(22).putInt(0x06054b50).putShort((short) 0).putShort((short) 0).putShort((short) 0xffff)
                .putShort((short) 0xffff).putInt(0xffffffff).putInt(0xffffffff).putShort((short) 0).array());
        Path file = tmp.resolve("big.zip");
        Files.write(file, out.toByteArray());

        Map<String, ZipDirectory.Entry> entries = read(file);
        assertEquals(List.of(names[0], names[1]), List.copyOf(entries.keySet()));
        assertArrayEquals(first, bytesAt(file, entries.get(names[0])));
        assertArrayEquals(second, bytesAt(file, entries.get(names[1])));
        assertEquals(second.length, entries.get(names[1]).size());
    }

    @Test
    void aTruncatedOrForeignFileIsRefusedNamingIt() throws IOException {
        Path text = Files.writeString(tmp.resolve("t.zip"), "no archive here");
        IOException e = assertThrows(IOException.class, () -> read(text));
        assertTrue(e.getMessage().startsWith(text.toString()) && e.getMessage().contains("not a zip archive"),
                e.getMessage());
    }

    /** A stored local header whose sizes live in its ZIP64 extra field. */
    private static byte[] local(String name, long size) {
        byte[] n = name.getBytes(StandardCharsets.UTF_8);
        ByteBuffer b = le(30 + n.length + 20).putInt(0x04034b50).putShort((short) 45).putShort((short) 0)
                .putShort((short) 0).putInt(0).putInt(0).putInt(0xffffffff).putInt(0xffffffff)
                .putShort((short) n.length).putShort((short) 20);
        b.put(n).putShort((short) 1).putShort((short) 16).putLong(size).putLong(size);
        return b.array();
    }

    /** A central directory header with size, compressed size and offset all 0xFFFFFFFF, given in ZIP64 extra. */
    private static byte[] central(String name, long size, long offset) {
        byte[] n = name.getBytes(StandardCharsets.UTF_8);
        ByteBuffer b = le(46 + n.length + 28).putInt(0x02014b50).putShort((short) 45).putShort((short) 45)
                .putShort((short) 0).putShort((short) 0).putInt(0).putInt(0).putInt(0xffffffff).putInt(0xffffffff)
                .putShort((short) n.length).putShort((short) 28).putShort((short) 0).putShort((short) 0)
                .putShort((short) 0).putInt(0).putInt(0xffffffff);
        b.put(n).putShort((short) 1).putShort((short) 24).putLong(size).putLong(size).putLong(offset);
        return b.array();
    }

    private static ByteBuffer le(int n) {
        return ByteBuffer.allocate(n).order(ByteOrder.LITTLE_ENDIAN);
    }
}
