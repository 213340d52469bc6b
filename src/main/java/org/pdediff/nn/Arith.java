package org.pdediff.nn;

/**
 * The array operations of the engine in one working precision; arrays are {@code float[]} or {@code double[]}
 * behind {@code Object}. Offsets and lengths are in entries. See {@link VecF32} for the arithmetic contract
 * (fixed fused multiply–add order, bit-identical rows).
 */
interface Arith {
    Object alloc(int n);

    /** dst[do..do+n) = (working precision) src[so..so+n). */
    void load(double[] src, int so, Object dst, int dOff, int n);

    /** dst[do..do+n) = src[so..so+n). */
    void store(Object src, int so, double[] dst, int dOff, int n);

    /** dst[do + i] += src[so + i] for i &lt; n (in double). */
    void addTo(Object src, int so, double[] dst, int dOff, int n);

    /** out[oo + j] += Σ_{i &lt; rows} z[zo + i·n + j], summed over i in order, in double. */
    void addColumnSums(Object z, int zo, int rows, int n, double[] out, int oo);

    /** Transpose of a k × n row-major matrix into n × k. */
    void transpose(Object src, int k, int n, Object dst);

    void gemm(Object a, int aOff, int ars, int aps, Object b, int bOff, int ldb, Object c, int cOff, int ldc, int m,
              int n, int k, Object bias, boolean accumulate);

    void mul(Object a, int ao, Object b, int bo, Object c, int co, int len);

    void addMul(Object a, int ao, Object b, int bo, Object c, int co, int len);

    void addMul3(Object a, int ao, Object b, int bo, Object e, int eo, Object c, int co, int len);

    void activation(ActivationKind kind, double beta, Object z, int zo, Object h, Object s1, Object s2, Object s3, int len);

    /** Number of lanes of a vector: element-wise lengths must be multiples of it. */
    int lanes();
}
