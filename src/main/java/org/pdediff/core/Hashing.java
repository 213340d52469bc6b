package org.pdediff.core;

import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/** Content hashes for provenance: the data hash in every {@code run.json} and checkpoint. */
public final class Hashing {
    private Hashing() {
    }

    /** SHA-256 over the shape and the IEEE-754 bits (little-endian) of every entry, as lower-case hex. */
    public static String sha256(Batch b) {
        MessageDigest md = sha();
        byte[] buf = new byte[8];
        putLong(buf, b.size());
        md.update(buf);
        putLong(buf, b.dim());
        md.update(buf);
        for (double v : b.data()) {
            putLong(buf, Double.doubleToLongBits(v));
            md.update(buf);
        }
        return HexFormat.of().formatHex(md.digest());
    }

    /** SHA-256 of bytes, as lower-case hex. */
    public static String sha256(byte[] bytes) {
        return HexFormat.of().formatHex(sha().digest(bytes));
    }

    private static MessageDigest sha() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    private static void putLong(byte[] buf, long v) {
        for (int k = 0; k < 8; k++) {
            buf[k] = (byte) (v >>> (8 * k));
        }
    }
}
