package org.pdediff.core;

/**
 * Numerical special functions the JDK lacks, to near machine precision.
 *
 * <p>erf/erfc: a positive-term series for |x| &lt; 2.5 (erf(x) = (2/√π) e^{−x²} Σ 2ⁿx^{2n+1}/(1·3···(2n+1)), no
 * cancellation) and Laplace's continued fraction for erfc beyond (erfc(x) = e^{−x²}/√π · 1/(x + ½/(x + 1/(x + 3/2/(x +
 * …))))). erf has a relative error of a few ulps; erfc = 1 − erf below 2.5 has an absolute error of about one ulp of 1
 * (relative ≤ 1e-12 since erfc(2.5) = 4·10⁻⁴), and a relative error of a few ulps beyond.
 *
 * <p>log Γ: Lanczos (g = 7, n = 9) with the reflection formula below ½, relative error below 10⁻¹³ for x &gt; 0.
 */
public final class SpecialFunctions {
    private static final double TWO_OVER_SQRT_PI = 2 / Math.sqrt(Math.PI);
    private static final double INV_SQRT_PI = 1 / Math.sqrt(Math.PI);
    private static final double[] LANCZOS = {0.99999999999980993, 676.5203681218851, -1259.1392167224028,
        771.32342877765313, -176.61502916214059, 12.507343278686905, -0.13857109526572012, 9.9843695780195716e-6,
        1.5056327351493116e-7};

    private SpecialFunctions() {
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

    /** log Γ(x) (Lanczos, g = 7, n = 9; reflection below ½). */
    public static double logGamma(double x) {
        double[] c = LANCZOS;
        if (x < 0.5) {
            return Math.log(Math.PI / Math.abs(Math.sin(Math.PI * x))) - logGamma(1 - x);
        }
        x -= 1;
        double a = c[0];
        double t = x + 7.5;
        for (int i = 1; i < 9; i++) {
            a += c[i] / (x + i);
        }
        return 0.5 * Math.log(2 * Math.PI) + (x + 0.5) * Math.log(t) - t + Math.log(a);
    }
}
