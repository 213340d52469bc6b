package org.pdediff.nn;

/** {@link Arith} in float32 on {@link VecF32}. */
final class ArithF32 implements Arith {
    @Override
    public Object alloc(int n) {
        return new float[n];
    }

    @Override
    public void load(double[] src, int so, Object dst, int dOff, int n) {
        float[] d = (float[]) dst;
        for (int i = 0; i < n; i++) {
            d[dOff + i] = (float) src[so + i];
        }
    }

    @Override
    public void store(Object src, int so, double[] dst, int dOff, int n) {
        float[] s = (float[]) src;
        for (int i = 0; i < n; i++) {
            dst[dOff + i] = s[so + i];
        }
    }

    @Override
    public void addTo(Object src, int so, double[] dst, int dOff, int n) {
        float[] s = (float[]) src;
        for (int i = 0; i < n; i++) {
            dst[dOff + i] += s[so + i];
        }
    }

    @Override
    public void addColumnSums(Object z, int zo, int rows, int n, double[] out, int oo) {
        float[] s = (float[]) z;
        for (int i = 0; i < rows; i++) {
            int r = zo + i * n;
            for (int j = 0; j < n; j++) {
                out[oo + j] += s[r + j];
            }
        }
    }

    @Override
    public void transpose(Object src, int k, int n, Object dst) {
        float[] s = (float[]) src;
        float[] d = (float[]) dst;
        for (int p = 0; p < k; p++) {
            for (int j = 0; j < n; j++) {
                d[j * k + p] = s[p * n + j];
            }
        }
    }

    @Override
    public void gemm(Object a, int aOff, int ars, int aps, Object b, int bOff, int ldb, Object c, int cOff, int ldc, int m,
                     int n, int k, Object bias, boolean accumulate) {
        VecF32.gemm((float[]) a, aOff, ars, aps, (float[]) b, bOff, ldb, (float[]) c, cOff, ldc, m, n, k, (float[]) bias,
                accumulate);
    }

    @Override
    public void mul(Object a, int ao, Object b, int bo, Object c, int co, int len) {
        VecF32.mul((float[]) a, ao, (float[]) b, bo, (float[]) c, co, len);
    }

    @Override
    public void addMul(Object a, int ao, Object b, int bo, Object c, int co, int len) {
        VecF32.addMul((float[]) a, ao, (float[]) b, bo, (float[]) c, co, len);
    }

    @Override
    public void addMul3(Object a, int ao, Object b, int bo, Object e, int eo, Object c, int co, int len) {
        VecF32.addMul3((float[]) a, ao, (float[]) b, bo, (float[]) e, eo, (float[]) c, co, len);
    }

    @Override
    public void activation(ActivationKind kind, double beta, Object z, int zo, Object h, Object s1, Object s2, Object s3,
                           int len) {
        VecF32.activation(kind, (float) beta, (float[]) z, zo, (float[]) h, (float[]) s1, (float[]) s2, (float[]) s3, len);
    }

    @Override
    public int lanes() {
        return VecF32.L;
    }
}
