package org.pdediff.nn;

/** {@link Arith} in float64 on {@link VecF64}. GENERATED from ArithF64.java by tools/gen_f64.py (same text, double types). */
final class ArithF64 implements Arith {
    @Override
    public Object alloc(int n) {
        return new double[n];
    }

    @Override
    public void load(double[] src, int so, Object dst, int dOff, int n) {
        double[] d = (double[]) dst;
        for (int i = 0; i < n; i++) {
            d[dOff + i] = (double) src[so + i];
        }
    }

    @Override
    public void store(Object src, int so, double[] dst, int dOff, int n) {
        double[] s = (double[]) src;
        for (int i = 0; i < n; i++) {
            dst[dOff + i] = s[so + i];
        }
    }

    @Override
    public void addTo(Object src, int so, double[] dst, int dOff, int n) {
        double[] s = (double[]) src;
        for (int i = 0; i < n; i++) {
            dst[dOff + i] += s[so + i];
        }
    }

    @Override
    public void addColumnSums(Object z, int zo, int rows, int n, double[] out, int oo) {
        double[] s = (double[]) z;
        for (int i = 0; i < rows; i++) {
            int r = zo + i * n;
            for (int j = 0; j < n; j++) {
                out[oo + j] += s[r + j];
            }
        }
    }

    @Override
    public void transpose(Object src, int k, int n, Object dst) {
        double[] s = (double[]) src;
        double[] d = (double[]) dst;
        for (int p = 0; p < k; p++) {
            for (int j = 0; j < n; j++) {
                d[j * k + p] = s[p * n + j];
            }
        }
    }

    @Override
    public void gemm(Object a, int aOff, int ars, int aps, Object b, int bOff, int ldb, Object c, int cOff, int ldc, int m,
                     int n, int k, Object bias, boolean accumulate) {
        VecF64.gemm((double[]) a, aOff, ars, aps, (double[]) b, bOff, ldb, (double[]) c, cOff, ldc, m, n, k, (double[]) bias,
                accumulate);
    }

    @Override
    public void mul(Object a, int ao, Object b, int bo, Object c, int co, int len) {
        VecF64.mul((double[]) a, ao, (double[]) b, bo, (double[]) c, co, len);
    }

    @Override
    public void addMul(Object a, int ao, Object b, int bo, Object c, int co, int len) {
        VecF64.addMul((double[]) a, ao, (double[]) b, bo, (double[]) c, co, len);
    }

    @Override
    public void addMul3(Object a, int ao, Object b, int bo, Object e, int eo, Object c, int co, int len) {
        VecF64.addMul3((double[]) a, ao, (double[]) b, bo, (double[]) e, eo, (double[]) c, co, len);
    }

    @Override
    public void activation(ActivationKind kind, double beta, Object z, int zo, Object h, Object s1, Object s2, Object s3,
                           int len) {
        VecF64.activation(kind, (double) beta, (double[]) z, zo, (double[]) h, (double[]) s1, (double[]) s2, (double[]) s3, len);
    }

    @Override
    public int lanes() {
        return VecF64.L;
    }
}
