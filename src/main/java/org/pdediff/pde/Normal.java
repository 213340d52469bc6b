package org.pdediff.pde;

/**
 * The error function and Gaussian interval probabilities to near machine precision (Java has no erf): a positive-term
 * series for |x| &lt; 2.5 (erf(x) = (2/√π) e^{−x²} Σ 2ⁿx^{2n+1}/(1·3···(2n+1)), no cancellation) and Laplace's
 * continued fraction for erfc beyond (erfc(x) = e^{−x²}/√π · 1/(x + ½/(x + 1/(x + 3/2/(x + …))))). erf has a
 * relative error of a few ulps; erfc = 1 − erf below 2.5 has an absolute error of about one ulp of 1 (relative
 * ≤ 1e-12 since erfc(2.5) = 4·10⁻⁴), and a relative error of a few ulps beyond.
 */
public final class Normal {
    private static final double TWO_OVER_SQRT_PI = 2 / Math.sqrt(Math.PI);
    private static final double INV_SQRT_PI = 1 / Math.sqrt(Math.PI);
    private static final double SQRT2 = Math.sqrt(2);

    private Normal() {
    }

    /** erf(x). */
    public static double erf(double x) {
        if (Math.abs(x) < 2.5) {
            return series(x);
        }
        return Math.copySign(1 - erfcPositive(Math.abs(x)), x);
    }

    /** erfc(x) = 1 − erf(x), accurate in the right tail. */
    public static double erfc(double x) {
        if (Double.isNaN(x)) {
            return Double.NaN;
        }
        if (x >= 2.5) {
            return erfcPositive(x);
        }
        if (x <= -2.5) {
            return 2 - erfcPositive(-x);
        }
        return 1 - series(x);
    }

    private static double series(double x) {
        double x2 = x * x;
        double term = x;
        double sum = x;
        for (int n = 1; n < 200; n++) {
            term *= 2 * x2 / (2 * n + 1);
            sum += term;
            if (Math.abs(term) < 1e-17 * Math.abs(sum)) {
                break;
            }
        }
        return TWO_OVER_SQRT_PI * Math.exp(-x2) * sum;
    }

    private static double erfcPositive(double x) {
        if (x > 27.3) {
            return 0; // below the smallest double
        }
        // Backward evaluation of the continued fraction x + (1/2)/(x + (2/2)/(x + (3/2)/(x + ...))), truncated at
        // 8 + 250/x² terms (measured: 38 terms reach full double precision at x = 2.5, 21 at x = 4, 9 at x = 10).
        double f = x;
        for (int k = 8 + (int) (250 / (x * x)); k >= 1; k--) {
            f = x + 0.5 * k / f;
        }
        return INV_SQRT_PI * Math.exp(-x * x) / f;
    }

    /** Standard normal CDF Φ(z). */
    public static double cdf(double z) {
        return 0.5 * erfc(-z / SQRT2);
    }

    /** Upper tail 1 − Φ(z), accurate for large z. */
    public static double upperTail(double z) {
        return 0.5 * erfc(z / SQRT2);
    }

    /** P(a &lt; Z &lt; b) for Z ~ N(0, 1), a ≤ b, computed from whichever tail avoids cancellation. */
    public static double interval(double a, double b) {
        if (a >= 0) {
            return Math.max(0, upperTail(a) - upperTail(b));
        }
        if (b <= 0) {
            return Math.max(0, cdf(b) - cdf(a));
        }
        return 1 - cdf(a) - upperTail(b);
    }
}
