package org.pdediff.core;

import java.util.Locale;

/**
 * Sizes checked before they reach an allocation: a product of sizes that overflows, an array longer than Java
 * allows, or an estimate above the heap becomes one {@link InvalidInputException} (exit 2) naming the size asked and
 * the limit — never an {@code OutOfMemoryError}, a {@code NegativeArraySizeException} or an
 * {@code ArithmeticException}.
 *
 * <p>The heap test compares with {@link Runtime#maxMemory()} (the -Xmx ceiling), not with what is free now, so it
 * never refuses a size that a garbage collection would make room for; a size that only just fits may still run out
 * of memory later, which the command line reports as one line too.
 */
public final class Sizes {
    /** The longest array HotSpot allocates (a few header words below {@code Integer.MAX_VALUE}). */
    public static final long MAX_ARRAY = Integer.MAX_VALUE - 8;

    private Sizes() {
    }

    /** {@code a·b·…} without overflow; a product beyond {@code Long.MAX_VALUE} is refused. */
    public static long product(String what, long... factors) {
        long p = 1;
        for (long f : factors) {
            if (f < 0) {
                throw new InvalidInputException(what + ": negative size " + f);
            }
            try {
                p = Math.multiplyExact(p, f);
            } catch (ArithmeticException e) {
                throw new InvalidInputException(what + ": the size " + describe(factors) + " overflows");
            }
        }
        return p;
    }

    /** One array of {@code count} elements: within the Java limit; returns it as an int. */
    public static int arrayLength(String what, long count) {
        if (count < 0 || count > MAX_ARRAY) {
            throw new InvalidInputException(String.format(Locale.ROOT, "%s needs an array of %,d elements, more than"
                    + " Java allows (%,d); use smaller sizes", what, count, MAX_ARRAY));
        }
        return (int) count;
    }

    /** An array of {@code n·d} doubles: the product, the array limit and the heap; returns the length. */
    public static int doubles(String what, long n, long d) {
        long count = product(what, n, d);
        int len = arrayLength(what, count);
        requireHeap(what, 8L * count);
        return len;
    }

    /** An estimate of the bytes a computation holds at once: refused when above 90% of the heap ceiling. */
    public static void requireHeap(String what, long bytes) {
        long max = Runtime.getRuntime().maxMemory();
        if (max != Long.MAX_VALUE && bytes > 0.9 * max) {
            throw new InvalidInputException(String.format(Locale.ROOT, "%s needs about %s of memory, Java may use %s;"
                    + " use smaller sizes or give Java more memory (java -Xmx..., PDEDIFF_JAVA_OPTS)", what, bytes(bytes),
                    bytes(max)));
        }
    }

    /** Bytes as a short human figure (1.5 GB). */
    public static String bytes(long b) {
        if (b < 1L << 20) {
            return String.format(Locale.ROOT, "%.1f kB", b / 1024.0);
        }
        if (b < 1L << 30) {
            return String.format(Locale.ROOT, "%.1f MB", b / (double) (1L << 20));
        }
        return String.format(Locale.ROOT, "%.1f GB", b / (double) (1L << 30));
    }

    private static String describe(long... factors) {
        StringBuilder sb = new StringBuilder();
        for (long f : factors) {
            sb.append(sb.length() > 0 ? " x " : "").append(f);
        }
        return sb.toString();
    }
}
