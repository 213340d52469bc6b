package org.pdediff.data;

import java.io.BufferedInputStream;
import java.io.DataInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.zip.GZIPInputStream;
import java.util.zip.ZipException;
import org.pdediff.core.InvalidInputException;

/**
 * A reader for the IDX format of MNIST and Fashion-MNIST (plain or gzip-compressed, detected from the first two
 * bytes): a 4-byte magic {@code 0x00 0x00 TYPE NDIMS}, NDIMS big-endian 32-bit sizes, then the values in row-major
 * order. Only TYPE {@code 0x08} (unsigned byte) is read, which is what both image sets use. A file that is not IDX,
 * has another type, is truncated, has bytes after the last value, or whose shape is not the one asked for is refused
 * with one line naming the file and the problem.
 */
public final class Idx {
    /** Largest number of values accepted (2³¹ − 1, one Java array). */
    private static final long MAX_VALUES = Integer.MAX_VALUE - 8;

    private Idx() {
    }

    /**
     * An unsigned-byte IDX array.
     *
     * @param dims   the sizes, outermost first
     * @param values the values in row-major order, as stored (read them with {@code & 0xff})
     */
    public record UByteArray(int[] dims, byte[] values) {
        /** The size of dimension k. */
        public int dim(int k) {
            return dims[k];
        }

        /** Number of dimensions. */
        public int rank() {
            return dims.length;
        }
    }

    /** Reads an unsigned-byte IDX file (gzip or plain). */
    public static UByteArray read(Path file) {
        try (InputStream raw = Files.newInputStream(file)) {
            return read(raw, file.toString());
        } catch (NoSuchFileException e) {
            throw new InvalidInputException(file + ": no such file");
        } catch (IOException e) {
            throw new InvalidInputException(file + ": cannot read (" + e.getMessage() + ")");
        }
    }

    /** Reads an unsigned-byte IDX array from a stream (gzip or plain); {@code name} is used in messages. */
    public static UByteArray read(InputStream in, String name) {
        try {
            BufferedInputStream b = new BufferedInputStream(in, 1 << 16);
            b.mark(2);
            int b0 = b.read();
            int b1 = b.read();
            b.reset();
            InputStream body = b;
            if (b0 == 0x1f && b1 == 0x8b) {
                body = new BufferedInputStream(new GZIPInputStream(b, 1 << 16), 1 << 16);
            }
            return parse(new DataInputStream(body), name);
        } catch (ZipException e) {
            throw new InvalidInputException(name + ": corrupt gzip data (" + e.getMessage() + ")");
        } catch (EOFException e) {
            throw new InvalidInputException(name + ": truncated IDX file");
        } catch (IOException e) {
            throw new InvalidInputException(name + ": cannot read (" + e.getMessage() + ")");
        }
    }

    private static UByteArray parse(DataInputStream in, String name) throws IOException {
        int m0 = in.read();
        int m1 = in.read();
        int type = in.read();
        int rank = in.read();
        if (rank < 0) {
            throw new InvalidInputException(name + ": truncated IDX file (no complete 4-byte magic)");
        }
        if (m0 != 0 || m1 != 0) {
            throw new InvalidInputException(name + ": not an IDX file (magic bytes " + hex(m0) + " " + hex(m1)
                    + ", expected 00 00)");
        }
        if (type != 0x08) {
            throw new InvalidInputException(name + ": IDX value type 0x" + hex(type) + " is not supported (only 0x08, unsigned byte)");
        }
        if (rank == 0) {
            throw new InvalidInputException(name + ": IDX file with 0 dimensions");
        }
        int[] dims = new int[rank];
        long count = 1;
        for (int k = 0; k < rank; k++) {
            dims[k] = in.readInt();
            if (dims[k] <= 0) {
                throw new InvalidInputException(name + ": IDX dimension " + k + " has size " + Integer.toUnsignedString(dims[k]));
            }
            count *= dims[k];
            if (count > MAX_VALUES) {
                throw new InvalidInputException(name + ": IDX array too large (more than " + MAX_VALUES + " values)");
            }
        }
        byte[] values = new byte[(int) count];
        in.readFully(values);
        if (in.read() >= 0) {
            throw new InvalidInputException(name + ": bytes after the last of the " + count + " values its header declares");
        }
        return new UByteArray(dims, values);
    }

    /**
     * Checks that {@code a} has the given shape; {@code -1} matches any size. Throws one line naming the file otherwise.
     */
    public static void requireShape(UByteArray a, String name, int... shape) {
        boolean ok = a.rank() == shape.length;
        for (int k = 0; ok && k < shape.length; k++) {
            ok = shape[k] < 0 || shape[k] == a.dim(k);
        }
        if (!ok) {
            StringBuilder want = new StringBuilder();
            for (int k = 0; k < shape.length; k++) {
                want.append(k == 0 ? "" : "×").append(shape[k] < 0 ? "*" : Integer.toString(shape[k]));
            }
            throw new InvalidInputException(name + ": IDX shape " + shapeOf(a) + " where " + want + " was expected");
        }
    }

    /** The shape as {@code 60000×28×28}. */
    public static String shapeOf(UByteArray a) {
        StringBuilder s = new StringBuilder();
        for (int k = 0; k < a.rank(); k++) {
            s.append(k == 0 ? "" : "×").append(a.dim(k));
        }
        return s.toString();
    }

    private static String hex(int b) {
        return b < 0 ? "EOF" : String.format("%02x", b);
    }
}
