package org.pdediff.nn;

import jdk.incubator.vector.DoubleVector;
import jdk.incubator.vector.LongVector;
import jdk.incubator.vector.VectorOperators;

/**
 * Vector exp and log1p in float64 for the activations, written out so that every lane of every machine computes the
 * same bits (the Vector API's EXP/LOG1P may fall back to scalar library calls or to SVML, whose results are not
 * specified to the bit).
 *
 * <p>GENERATED from ExpF32.java by tools/gen_f64.py: do not edit.
 */
final class ExpF64 {
    private static final double LOG2E = 1.4426950408889634;
    private static final double LN2_HI = 6.93147180369123816490e-01;
    private static final double LN2_LO = 1.90821492927058770002e-10;
    /** 1.5·2⁵²: adding it rounds to an integer and leaves that integer in the low mantissa bits. */
    private static final double MAGIC = 6755399441055744.0;
    private static final long MAGIC_BITS = 0x4338000000000000L;
    private static final long BIAS = 1023;
    private static final int MANT = 52;
    /** Taylor coefficients 1/j! of exp on |r| ≤ ln2/2, degree 13: truncation (ln2/2)¹⁴/14! ≈ 4e-18 relative. */
    private static final double[] EXP = taylorExp(13);
    /** Terms of log1p(e) = 2·atanh(w), w = e/(2 + e) ≤ 1/3: 17 odd terms, truncation (1/3)³⁵/35 ≈ 1e-18. */
    private static final int ATANH_TERMS = 17;

    private ExpF64() {
    }

    private static double[] taylorExp(int degree) {
        double[] c = new double[degree + 1];
        double f = 1;
        for (int j = 0; j <= degree; j++) {
            c[j] = 1 / f;
            f *= j + 1;
        }
        return c;
    }

    /**
     * e^x for x in [−CLAMP·β, 0] (the callers clamp): x = k·ln2 + r with k = round(x/ln2) (Cody–Waite split of ln2),
     * e^r by its Taylor polynomial, 2^k by writing the exponent bits. Results are normal numbers (k ≥ −116, far above −1022).
     */
    static DoubleVector expNonPositive(DoubleVector x) {
        DoubleVector t = x.fma(LOG2E, MAGIC);
        DoubleVector k = t.sub(MAGIC);
        DoubleVector r = k.fma(DoubleVector.broadcast(x.species(), -LN2_HI), x);
        r = k.fma(DoubleVector.broadcast(x.species(), -LN2_LO), r);
        DoubleVector p = DoubleVector.broadcast(x.species(), EXP[EXP.length - 1]);
        for (int j = EXP.length - 2; j >= 0; j--) {
            p = p.fma(r, DoubleVector.broadcast(x.species(), EXP[j]));
        }
        LongVector bits = ((LongVector) t.reinterpretAsLongs()).sub(MAGIC_BITS - BIAS).lanewise(VectorOperators.LSHL, MANT);
        return p.mul(bits.reinterpretAsDoubles());
    }

    /** log(1 + e) for e in (0, 1]: 2·atanh(w) = 2(w + w³/3 + w⁵/5 + …), w = e/(2 + e). */
    static DoubleVector log1pUnit(DoubleVector e) {
        DoubleVector w = e.div(e.add(2));
        DoubleVector w2 = w.mul(w);
        DoubleVector p = DoubleVector.broadcast(e.species(), (double) (1.0 / (2 * ATANH_TERMS - 1)));
        for (int j = ATANH_TERMS - 2; j >= 0; j--) {
            p = p.fma(w2, DoubleVector.broadcast(e.species(), (double) (1.0 / (2 * j + 1))));
        }
        return p.mul(w).mul(2);
    }
}
