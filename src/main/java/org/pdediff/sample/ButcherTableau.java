package org.pdediff.sample;

import java.util.Arrays;

/**
 * An explicit Runge–Kutta method as data (its Butcher tableau), in the manner of Hipparchus' {@code ButcherArrayProvider}:
 * for y' = F(t, y) and a step H (signed: negative when integrating backwards in t),
 * <pre>
 *   k_i = F(t + c_i H, y + H Σ_{j&lt;i} a_ij k_j),   y ← y + H Σ_i b_i k_i,
 * </pre>
 * and, for an embedded pair, the local error estimate e = H Σ_i (b_i − b̂_i) k_i of the lower-order solution.
 *
 * <p>The weights b_i are stored as integers over a common denominator ({@code b_i = bNum_i / bDen}) so that the update
 * is evaluated as {@code y + (H/bDen)·Σ bNum_i k_i}: the classical methods then run with exactly the arithmetic of
 * their textbook form (e.g. RK4's {@code y + (h/6)(k₁ + 2k₂ + 2k₃ + k₄)}), and results are bit-identical to the
 * hand-written versions they replace. An FSAL tableau (first same as last) has a last stage that equals the new
 * solution, whose derivative is reused as the next step's first stage.
 *
 * @param name      short lower-case name
 * @param order     order p of the propagated solution
 * @param c         nodes c_i (c₀ = 0)
 * @param a         strictly lower-triangular coefficients a_ij (row i has i entries)
 * @param bNum      numerators of the weights b_i
 * @param bDen      common denominator of the weights
 * @param error     b_i − b̂_i of the embedded lower-order solution, or {@code null} for a fixed-step method
 * @param errorOrder order of the embedded solution (the step controller uses the exponent −1/(errorOrder + 1))
 * @param fsal      whether the last stage is evaluated at the new solution (FSAL)
 */
public record ButcherTableau(String name, int order, double[] c, double[][] a, double[] bNum, double bDen, double[] error,
                             int errorOrder, boolean fsal) {

    /** Explicit Euler, order 1: y ← y + H F(t, y). */
    public static final ButcherTableau EULER = new ButcherTableau("euler", 1, new double[] {0}, new double[][] {{}},
            new double[] {1}, 1, null, 0, false);

    /** Heun's method (explicit trapezoid), order 2: y ← y + (H/2)(k₁ + k₂), k₂ = F(t + H, y + Hk₁). */
    public static final ButcherTableau HEUN = new ButcherTableau("heun", 2, new double[] {0, 1}, new double[][] {{}, {1}},
            new double[] {1, 1}, 2, null, 0, false);

    /** The classical Runge–Kutta method, order 4: y ← y + (H/6)(k₁ + 2k₂ + 2k₃ + k₄). */
    public static final ButcherTableau RK4 = new ButcherTableau("rk4", 4, new double[] {0, 0.5, 0.5, 1},
            new double[][] {{}, {0.5}, {0, 0.5}, {0, 0, 1}}, new double[] {1, 2, 2, 1}, 6, null, 0, false);

    /**
     * Bogacki–Shampine 3(2) (1989), FSAL, 3 new evaluations per step: the cheap adaptive pair (MATLAB's ode23, scipy's
     * RK23).
     */
    public static final ButcherTableau BOGACKI_SHAMPINE_32 = embedded("bs23", 3, 2,
            new double[] {0, 0.5, 0.75, 1},
            new double[][] {{}, {0.5}, {0, 0.75}, {2.0 / 9, 1.0 / 3, 4.0 / 9}},
            new double[] {2.0 / 9, 1.0 / 3, 4.0 / 9, 0},
            new double[] {7.0 / 24, 1.0 / 4, 1.0 / 3, 1.0 / 8});

    /**
     * Dormand–Prince 5(4) (1980), FSAL, 6 new evaluations per step, local extrapolation (the 5th-order solution is
     * propagated): scipy's RK45, torchdiffeq's dopri5, Hipparchus' DormandPrince54Integrator.
     */
    public static final ButcherTableau DORMAND_PRINCE_54 = embedded("dp45", 5, 4,
            new double[] {0, 1.0 / 5, 3.0 / 10, 4.0 / 5, 8.0 / 9, 1, 1},
            new double[][] {
                {},
                {1.0 / 5},
                {3.0 / 40, 9.0 / 40},
                {44.0 / 45, -56.0 / 15, 32.0 / 9},
                {19372.0 / 6561, -25360.0 / 2187, 64448.0 / 6561, -212.0 / 729},
                {9017.0 / 3168, -355.0 / 33, 46732.0 / 5247, 49.0 / 176, -5103.0 / 18656},
                {35.0 / 384, 0, 500.0 / 1113, 125.0 / 192, -2187.0 / 6784, 11.0 / 84}},
            new double[] {35.0 / 384, 0, 500.0 / 1113, 125.0 / 192, -2187.0 / 6784, 11.0 / 84, 0},
            new double[] {5179.0 / 57600, 0, 7571.0 / 16695, 393.0 / 640, -92097.0 / 339200, 187.0 / 2100, 1.0 / 40});

    public ButcherTableau {
        int s = c.length;
        if (a.length != s || bNum.length != s || (error != null && error.length != s)) {
            throw new IllegalArgumentException(name + ": tableau arrays of inconsistent length");
        }
        for (int i = 0; i < s; i++) {
            if (a[i].length != i) {
                throw new IllegalArgumentException(name + ": row " + i + " of a must have " + i + " entries");
            }
        }
        c = c.clone();
        a = Arrays.stream(a).map(double[]::clone).toArray(double[][]::new);
        bNum = bNum.clone();
        error = error == null ? null : error.clone();
    }

    /** An FSAL embedded pair with weights b (propagated) and b̂ (embedded); b is stored with denominator 1. */
    private static ButcherTableau embedded(String name, int order, int errorOrder, double[] c, double[][] a, double[] b, double[] bHat) {
        double[] e = new double[b.length];
        for (int i = 0; i < b.length; i++) {
            e[i] = b[i] - bHat[i];
        }
        return new ButcherTableau(name, order, c, a, b, 1, e, errorOrder, true);
    }

    /** Number of stages. */
    public int stages() {
        return c.length;
    }

    /** Whether the tableau carries an embedded error estimate (adaptive step control). */
    public boolean adaptive() {
        return error != null;
    }

    /** Score (function) evaluations per accepted or rejected step: s, or s − 1 for FSAL pairs. */
    public int evaluationsPerStep() {
        return fsal ? c.length - 1 : c.length;
    }

    /** The weight b_i. */
    public double b(int i) {
        return bNum[i] / bDen;
    }

    @Override
    public String toString() {
        return name;
    }
}
