package org.pdediff.sample;

import java.util.Locale;
import org.pdediff.core.Batch;
import org.pdediff.core.InvalidInputException;
import org.pdediff.core.RandomStream;
import org.pdediff.core.Spec;

/**
 * Uniform dequantisation of data that take L equally spaced values low, low + Δ, …, high per coordinate,
 * Δ = (high − low)/(L − 1) (e.g. digits: L = 17 in [−1, 1], Δ = 1/8; 8-bit images scaled to [−1, 1]: L = 256,
 * Δ = 2/255). Each coordinate is moved uniformly within its own bin, y = x + (U − ½)Δ, U ~ U[0, 1) from the stream
 * (seed, "dequantize", point, coordinate). Then, for the discrete law P of x and any density p (Theis et al. 2016;
 * Ho et al. 2019), log P(x) ≥ E_U[log p(y)] + d·ln Δ: the discrete log-likelihood in nats is the continuous one plus
 * the offset d·ln Δ, and bits per dimension are −(log p(y) + d ln Δ)/(d ln 2) = −log p(y)/(d ln 2) − log₂ Δ.
 *
 * @param levels L ≥ 2
 * @param low    the smallest value
 * @param high   the largest value
 */
public record Dequantization(int levels, double low, double high) {
    public Dequantization {
        if (levels < 2) {
            throw new InvalidInputException("dequantize: levels must be >= 2, got " + levels);
        }
        if (!(high > low) || !Double.isFinite(low) || !Double.isFinite(high)) {
            throw new InvalidInputException("dequantize: need finite low < high, got low=" + low + " high=" + high);
        }
    }

    /** Parses {@code uniform:levels=L[,low=-1,high=1]}. */
    public static Dequantization parse(String text) {
        Spec sp = Spec.parse(text);
        if (!sp.name().toLowerCase(Locale.ROOT).equals("uniform")) {
            throw new InvalidInputException("unknown dequantisation '" + sp.name() + "' (known: uniform:levels=L,low=-1,high=1)");
        }
        if (!sp.has("levels")) {
            throw new InvalidInputException("dequantize: uniform needs levels=L (e.g. 256 for 8-bit images, 17 for digits)");
        }
        Dequantization q = new Dequantization(sp.getIntAtLeast("levels", 256, 2), sp.getDouble("low", -1), sp.getDouble("high", 1));
        sp.requireAllUsed("dequantize");
        return q;
    }

    /** The bin width Δ = (high − low)/(L − 1). */
    public double binWidth() {
        return (high - low) / (levels - 1);
    }

    /** The offset d·ln Δ (nats) added to the continuous log-density to bound the discrete log-likelihood. */
    public double offsetNats(int d) {
        return d * Math.log(binWidth());
    }

    /** The offset −log₂ Δ added to the continuous bits per dimension. */
    public double offsetBitsPerDim() {
        return -Math.log(binWidth()) / Math.log(2);
    }

    public String spec() {
        return "uniform:levels=" + levels + ",low=" + low + ",high=" + high;
    }

    /**
     * The dequantised points y = x + (U − ½)Δ (a new batch). Every coordinate must lie on the grid of levels (to
     * 1e-6·Δ), else one line naming the point and coordinate.
     *
     * @param firstPoint global index of the first row (for the random stream and messages)
     */
    public Batch apply(Batch x, long seed, long firstPoint) {
        double h = binWidth();
        Batch y = x.copy();
        double[] a = y.data();
        int d = x.dim();
        RandomStream rs = RandomStream.of(seed).derive("dequantize");
        for (int i = 0; i < x.size(); i++) {
            long p = rs.particle(firstPoint + i);
            for (int j = 0; j < d; j++) {
                double v = a[i * d + j];
                double k = (v - low) / h;
                if (!(k > -1e-6 && k < levels - 1 + 1e-6) || Math.abs(k - Math.rint(k)) > 1e-6) {
                    throw new InvalidInputException("dequantize: point " + (firstPoint + i) + ", coordinate " + j + " = " + v
                            + " is not one of the " + levels + " levels of [" + low + ", " + high + "]");
                }
                a[i * d + j] = v + (RandomStream.uniformAt(p, j) - 0.5) * h;
            }
        }
        return y;
    }
}
