package org.pdediff.score;

import org.pdediff.core.Batch;
import org.pdediff.sde.Sde;

/** The score of a single datum x₀ (M12): s(x, t) = −(x − αx₀)/σ², ∇s = −I/σ², ∇·s = −d/σ². */
public final class OneDatumScore extends ClosedFormScore {
    private final double[] x0;

    public OneDatumScore(Sde sde, double[] x0) {
        super(sde, x0.length, "a one-datum score");
        this.x0 = x0.clone();
    }

    @Override
    public void score(Batch x, double t, Batch out) {
        requireDim(x);
        double a = sde.alpha(t);
        double inv = 1 / sde.sigma2(t);
        int d = x0.length;
        double[] xi = x.data();
        double[] o = out.data();
        for (int k = 0; k < xi.length; k++) {
            o[k] = -(xi[k] - a * x0[k % d]) * inv;
        }
    }


    @Override
    public void divergence(Batch x, double t, double[] out) {
        requireDim(x);
        java.util.Arrays.fill(out, 0, x.size(), -x0.length / sde.sigma2(t));
    }


    @Override
    public void jacobian(Batch x, double t, double[] out) {
        requireDim(x);
        int d = x0.length;
        java.util.Arrays.fill(out, 0, x.size() * d * d, 0);
        double v = -1 / sde.sigma2(t);
        for (int i = 0; i < x.size(); i++) {
            for (int a = 0; a < d; a++) {
                out[i * d * d + a * d + a] = v;
            }
        }
    }

    /** log p_t(x) = log N(x; αx₀, σ²I). */
    @Override
    public void logDensity(Batch x, double t, double[] out) {
        requireDim(x);
        int d = x0.length;
        double a = sde.alpha(t);
        double s2 = sde.sigma2(t);
        double c = -0.5 * d * Math.log(2 * Math.PI * s2);
        double[] xi = x.data();
        for (int i = 0; i < x.size(); i++) {
            double q = 0;
            for (int j = 0; j < d; j++) {
                double r = xi[i * d + j] - a * x0[j];
                q += r * r;
            }
            out[i] = c - 0.5 * q / s2;
        }
    }

    @Override
    public String describe() {
        return "one-datum";
    }
}
