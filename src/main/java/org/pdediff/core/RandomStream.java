package org.pdediff.core;

import java.nio.charset.StandardCharsets;

/**
 * Counter-based random numbers: every draw is a pure function of (key, particle index, counter), so a particle's
 * noise does not depend on the batch it is in, on the order particles are processed, or on the number of threads.
 *
 * <p>Bits: the SplitMix64 output function (Steele, Lea &amp; Flood 2014) applied to {@code k_i + (c+1)·γ}, where
 * {@code k_i = mix(key ⊕ mix(i·γ'))} is the particle's own stream seed. This is exactly the SplitMix64 sequence
 * of seed {@code k_i}, indexed by counter, so each particle has a full-period statistically sound stream.
 * Normals: Box–Muller on the two uniforms at counters {@code 2c} and {@code 2c+1} (cosine branch).
 *
 * <p>Streams for different purposes (prior draw, sampler noise, training noise) are made independent with
 * {@link #derive(String)}. Instances are immutable and thread-safe.
 */
public final class RandomStream {
    private static final long GOLDEN = 0x9E3779B97F4A7C15L;
    private static final long GOLDEN2 = 0xD1B54A32D192ED03L;
    private static final double TWO_PI = 2 * Math.PI;
    private static final double ULP53 = 0x1.0p-53;

    private final long key;

    private RandomStream(long key) {
        this.key = key;
    }

    /** The root stream of a seed. */
    public static RandomStream of(long seed) {
        return new RandomStream(mix(seed ^ 0x5DEECE66DL));
    }

    /** An independent stream for a named purpose (same seed and name give the same stream). */
    public RandomStream derive(String purpose) {
        long h = key;
        for (byte b : purpose.getBytes(StandardCharsets.UTF_8)) {
            h = mix(h ^ (b & 0xFF) ^ GOLDEN2);
        }
        return new RandomStream(mix(h + GOLDEN));
    }

    /** An independent stream for a numbered purpose (e.g. a repetition index). */
    public RandomStream derive(long index) {
        return new RandomStream(mix(key ^ mix(index * GOLDEN2 + GOLDEN)));
    }

    /** The stream seed of particle {@code index}; pass it to the {@code *At} methods in hot loops. */
    public long particle(long index) {
        return mix(key ^ mix(index * GOLDEN2 + 0x632BE59BD9B4E019L));
    }

    /** 64 random bits of particle stream {@code p} (from {@link #particle}) at {@code counter}. */
    public static long bitsAt(long p, long counter) {
        return mix(p + (counter + 1) * GOLDEN);
    }

    /** A uniform number in [0, 1) of particle stream {@code p} at {@code counter}. */
    public static double uniformAt(long p, long counter) {
        return (bitsAt(p, counter) >>> 11) * ULP53;
    }

    /** A standard normal number of particle stream {@code p} at {@code counter} (uses counters 2c and 2c+1). */
    public static double normalAt(long p, long counter) {
        double u1 = ((bitsAt(p, 2 * counter) >>> 11) + 1) * ULP53; // (0, 1]
        double u2 = (bitsAt(p, 2 * counter + 1) >>> 11) * ULP53;
        return Math.sqrt(-2.0 * Math.log(u1)) * Math.cos(TWO_PI * u2);
    }

    /** A uniform number in [0, 1) for particle {@code index} at {@code counter}. */
    public double uniform(long index, long counter) {
        return uniformAt(particle(index), counter);
    }

    /** A standard normal for particle {@code index} at {@code counter}. */
    public double normal(long index, long counter) {
        return normalAt(particle(index), counter);
    }

    /**
     * Fills a batch (modified) with standard normals: row i gets the normals of particle {@code firstIndex + i} at
     * counters {@code counterStart .. counterStart + d − 1}.
     */
    public void fillNormal(Batch out, long firstIndex, long counterStart) {
        int d = out.dim();
        double[] a = out.data();
        for (int i = 0; i < out.size(); i++) {
            long p = particle(firstIndex + i);
            for (int j = 0; j < d; j++) {
                a[i * d + j] = normalAt(p, counterStart + j);
            }
        }
    }

    /** The Stafford variant 13 mixer used by SplitMix64. */
    static long mix(long z) {
        z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
        z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
        return z ^ (z >>> 31);
    }
}
