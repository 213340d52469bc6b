package org.pdediff.data;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.zip.GZIPOutputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.pdediff.core.InvalidInputException;

class IdxTest {
    @TempDir
    Path tmp;

    /** An IDX file: magic 00 00 type rank, big-endian sizes, then {@code body}. */
    static byte[] idx(int type, int[] dims, byte[] body) {
        ByteBuffer b = ByteBuffer.allocate(4 + 4 * dims.length + body.length);
        b.put((byte) 0).put((byte) 0).put((byte) type).put((byte) dims.length);
        for (int v : dims) {
            b.putInt(v);
        }
        b.put(body);
        return b.array();
    }

    static byte[] gzip(byte[] raw) throws IOException {
        ByteArrayOutputStream bo = new ByteArrayOutputStream();
        try (GZIPOutputStream g = new GZIPOutputStream(bo)) {
            g.write(raw);
        }
        return bo.toByteArray();
    }

    private Path write(String name, byte[] bytes) throws IOException {
        Path p = tmp.resolve(name);
        Files.write(p, bytes);
        return p;
    }

    private static byte[] ramp(int n) {
        byte[] v = new byte[n];
        for (int i = 0; i < n; i++) {
            v[i] = (byte) (i * 37);
        }
        return v;
    }

    @Test
    void readsPlainAndGzipFilesIdentically() throws IOException {
        byte[] body = ramp(2 * 3 * 4);
        byte[] raw = idx(8, new int[] {2, 3, 4}, body);
        for (Path p : new Path[] {write("a.idx", raw), write("a.idx.gz", gzip(raw))}) {
            Idx.UByteArray a = Idx.read(p);
            assertThat(a.dims()).containsExactly(2, 3, 4);
            assertThat(a.values()).containsExactly(body);
            assertThat(Idx.shapeOf(a)).isEqualTo("2×3×4");
            // unsigned: byte 0xff reads as 255
            assertThat(a.values()[7] & 0xff).isEqualTo((7 * 37) & 0xff);
            Idx.requireShape(a, p.toString(), -1, 3, 4);
        }
    }

    @Test
    void wrongMagicIsRefusedInOneLine() throws IOException {
        byte[] raw = idx(8, new int[] {4}, ramp(4));
        raw[1] = 0x08;
        Path p = write("bad.idx", raw);
        assertThatThrownBy(() -> Idx.read(p)).isInstanceOf(InvalidInputException.class)
                .hasMessageContaining("not an IDX file").hasMessageContaining("bad.idx").hasMessageNotContaining("\n");
        // a text file
        Path q = write("notes.txt", "hello world\n".getBytes());
        assertThatThrownBy(() -> Idx.read(q)).isInstanceOf(InvalidInputException.class).hasMessageContaining("not an IDX file");
        // another value type (0x0D, float)
        Path f = write("float.idx", idx(0x0D, new int[] {1}, new byte[4]));
        assertThatThrownBy(() -> Idx.read(f)).isInstanceOf(InvalidInputException.class).hasMessageContaining("type 0x0d");
    }

    @Test
    void truncatedFilesAreRefused() throws IOException {
        byte[] raw = idx(8, new int[] {10, 5}, ramp(50));
        // cut in the data, in the header sizes, and in the magic; plain and gzip
        for (int cut : new int[] {raw.length - 1, 6, 2, 0}) {
            byte[] part = java.util.Arrays.copyOf(raw, cut);
            Path p = write("cut" + cut + ".idx", part);
            assertThatThrownBy(() -> Idx.read(p)).as("cut at %d", cut).isInstanceOf(InvalidInputException.class)
                    .hasMessageContaining("truncated");
        }
        byte[] gz = gzip(raw);
        Path g = write("cut.idx.gz", java.util.Arrays.copyOf(gz, gz.length - 12));
        assertThatThrownBy(() -> Idx.read(g)).isInstanceOf(InvalidInputException.class);
    }

    @Test
    void trailingBytesAndDimensionMismatchesAreRefused() throws IOException {
        byte[] raw = idx(8, new int[] {3, 2}, ramp(7));
        Path p = write("long.idx", raw);
        assertThatThrownBy(() -> Idx.read(p)).isInstanceOf(InvalidInputException.class).hasMessageContaining("bytes after");
        Idx.UByteArray a = Idx.read(write("ok.idx", idx(8, new int[] {3, 2}, ramp(6))));
        assertThatThrownBy(() -> Idx.requireShape(a, "ok.idx", -1, 28, 28)).isInstanceOf(InvalidInputException.class)
                .hasMessageContaining("IDX shape 3×2 where *×28×28 was expected");
        assertThatThrownBy(() -> Idx.requireShape(a, "ok.idx", 3, 3)).isInstanceOf(InvalidInputException.class);
        // a negative (huge unsigned) size
        Path neg = write("neg.idx", idx(8, new int[] {-1}, new byte[0]));
        assertThatThrownBy(() -> Idx.read(neg)).isInstanceOf(InvalidInputException.class).hasMessageContaining("has size 4294967295");
    }

    @Test
    void missingFileIsOneLine() {
        assertThatThrownBy(() -> Idx.read(tmp.resolve("nope.idx"))).isInstanceOf(InvalidInputException.class)
                .hasMessageContaining("no such file");
    }
}
