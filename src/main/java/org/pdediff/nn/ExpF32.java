package org.pdediff.nn;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.IntVector;
import jdk.incubator.vector.VectorOperators;

/**
 * Vector exp and log1p in float32 for the activations, written out so that every lane of every machine computes the
 * same bits (the Vector API's EXP/LOG1P may fall back to scalar library calls or to SVML, whose results are not
 * specified to the bit).
 */
final class ExpF32 {
    private static final float LOG2E = 1.44269504088896341f;
    private static final float LN2_HI = 0.693145751953125f;
    private static final float LN2_LO = 1.42860676533018650e-06f;
    /** 1.5·2²³: adding it rounds to an integer and leaves that integer in the low mantissa bits. */
    private static final float MAGIC = 12582912f;
    private static final int MAGIC_BITS = 0x4B400000;
    private static final int BIAS = 127;
    private static final int MANT = 23;
    /** Taylor coefficients 1/j! of exp on |r| ≤ ln2/2, degree 7: truncation (ln2/2)⁸/8! ≈ 5.5e-9 relative. */
    private static final float[] EXP = taylorExp(7);
    /** Terms of log1p(e) = 2·atanh(w), w = e/(2 + e) ≤ 1/3: 7 odd terms, truncation (1/3)¹⁵/15 ≈ 5e-9. */
    private static final int ATANH_TERMS = 7;

    private ExpF32() {
    }

    private static float[] taylorExp(int degree) {
        float[] c = new float[degree + 1];
        double f = 1;
        for (int j = 0; j <= degree; j++) {
            c[j] = (float) (1 / f);
            f *= j + 1;
        }
        return c;
    }

    /**
     * e^x for x in [−CLAMP·β, 0] (the callers clamp): x = k·ln2 + r with k = round(x/ln2) (Cody–Waite split of ln2),
     * e^r by its Taylor polynomial, 2^k by writing the exponent bits. Results are normal numbers (k ≥ −116).
     */
    static FloatVector expNonPositive(FloatVector x) {
        FloatVector t = x.fma(LOG2E, MAGIC);
        FloatVector k = t.sub(MAGIC);
        FloatVector r = k.fma(FloatVector.broadcast(x.species(), -LN2_HI), x);
        r = k.fma(FloatVector.broadcast(x.species(), -LN2_LO), r);
        FloatVector p = FloatVector.broadcast(x.species(), EXP[EXP.length - 1]);
        for (int j = EXP.length - 2; j >= 0; j--) {
            p = p.fma(r, FloatVector.broadcast(x.species(), EXP[j]));
        }
        IntVector bits = ((IntVector) t.reinterpretAsInts()).sub(MAGIC_BITS - BIAS).lanewise(VectorOperators.LSHL, MANT);
        return p.mul(bits.reinterpretAsFloats());
    }

    /** log(1 + e) for e in (0, 1]: 2·atanh(w) = 2(w + w³/3 + w⁵/5 + …), w = e/(2 + e). */
    static FloatVector log1pUnit(FloatVector e) {
        FloatVector w = e.div(e.add(2f));
        FloatVector w2 = w.mul(w);
        FloatVector p = FloatVector.broadcast(e.species(), (float) (1.0 / (2 * ATANH_TERMS - 1)));
        for (int j = ATANH_TERMS - 2; j >= 0; j--) {
            p = p.fma(w2, FloatVector.broadcast(e.species(), (float) (1.0 / (2 * j + 1))));
        }
        return p.mul(w).mul(2f);
    }
}
