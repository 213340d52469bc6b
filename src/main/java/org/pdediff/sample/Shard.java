package org.pdediff.sample;

import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.pdediff.core.InvalidInputException;

/**
 * Shard {@code index} of {@code count}: a contiguous range of the particles {@code 0 .. n − 1} of one sampling run.
 *
 * <p>Every random draw of a sampler is a function of (seed, purpose, particle index, counter) ({@link
 * org.pdediff.core.RandomStream}), and the prior and the samplers are given the global index of their first particle,
 * so the particles of a range are exactly those rows of the full run: shards can run anywhere, in any order, and
 * their concatenation in index order is the full run, bit for bit. The one exception is a step-size choice made for a
 * batch as a whole (dp45, bs23) or a score whose kernels depend on the batch shape (torchscript): then the range is
 * made of whole batches of the full run ({@code unit} = the batch size), so each shard integrates the same batches.
 *
 * <p>Ranges: with {@code U = ⌈n/unit⌉} units, shard {@code I} holds units {@code ⌊I·U/N⌋ .. ⌊(I+1)·U/N⌋ − 1}; the
 * shards tile {@code 0 .. n − 1} exactly once, in index order, and none is empty when {@code N ≤ U}.
 *
 * @param index the shard, {@code 0 ≤ index < count}
 * @param count the number of shards, ≥ 1
 */
public record Shard(int index, int count) {
    private static final Pattern FORM = Pattern.compile("\\s*(\\d{1,9})\\s*/\\s*(\\d{1,9})\\s*");

    /** The whole run as one shard. */
    public static final Shard WHOLE = new Shard(0, 1);

    public Shard {
        if (count < 1) {
            throw new InvalidInputException("--shard I/N: N must be >= 1, got " + count);
        }
        if (index < 0 || index >= count) {
            throw new InvalidInputException("--shard I/N: I must satisfy 0 <= I < N, got " + index + "/" + count);
        }
    }

    /** Parses {@code I/N}. */
    public static Shard parse(String text) {
        Matcher m = FORM.matcher(text == null ? "" : text);
        if (!m.matches()) {
            throw new InvalidInputException("--shard must be I/N with whole numbers 0 <= I < N (e.g. 0/4), got '" + text + "'");
        }
        return new Shard(Integer.parseInt(m.group(1)), Integer.parseInt(m.group(2)));
    }

    /** The first particle of this shard of an {@code n}-particle run split in units of {@code unit} particles. */
    public int from(int n, int unit) {
        return boundary(index, n, unit);
    }

    /** One past the last particle of this shard. */
    public int to(int n, int unit) {
        return boundary(index + 1, n, unit);
    }

    /**
     * Checks that every shard of {@code count} is non-empty for {@code n} particles in units of {@code unit};
     * {@code what} names the unit in the message.
     */
    public void requireNonEmpty(int n, int unit, String what) {
        long units = units(n, unit);
        if (count > units) {
            throw new InvalidInputException("--shard " + this + ": " + count + " shards of " + units + " " + what
                    + " would leave some shards empty; use at most " + units + " shards");
        }
    }

    private int boundary(int i, int n, int unit) {
        long units = units(n, unit);
        long u = (long) i * units / count;
        return (int) Math.min(n, u * unit);
    }

    private static long units(int n, int unit) {
        if (n <= 0 || unit <= 0) {
            throw new InvalidInputException("a shard needs n > 0 particles and a unit > 0, got n = " + n + ", unit = " + unit);
        }
        return (n + (long) unit - 1) / unit;
    }

    @Override
    public String toString() {
        return index + "/" + count;
    }
}
