package org.pdediff.nn;

/**
 * The parameters of an {@link MlpShape} in a working precision, with the transposes the reverse pass needs.
 * Immutable once built; shareable between engines and threads.
 */
public final class MlpWeights {
    final MlpShape shape;
    final Precision precision;
    final Object[] w;
    final Object[] wt;
    final Object[] b;

    /** Rounds the flat parameters (layout of {@link MlpShape}) to the working precision. */
    public MlpWeights(MlpShape shape, Precision precision, double[] params) {
        if (params.length != shape.parameterCount()) {
            throw new IllegalArgumentException("expected " + shape.parameterCount() + " parameters, got " + params.length);
        }
        this.shape = shape;
        this.precision = precision;
        Arith ar = precision.arith();
        int n = shape.layers();
        w = new Object[n];
        wt = new Object[n];
        b = new Object[n];
        for (int l = 0; l < n; l++) {
            int k = shape.in(l);
            int o = shape.out(l);
            int off = shape.offset(l);
            w[l] = ar.alloc(k * o);
            ar.load(params, off, w[l], 0, k * o);
            wt[l] = ar.alloc(k * o);
            ar.transpose(w[l], k, o, wt[l]);
            b[l] = ar.alloc(o);
            ar.load(params, off + k * o, b[l], 0, o);
        }
    }

    public MlpShape shape() {
        return shape;
    }

    public Precision precision() {
        return precision;
    }
}
