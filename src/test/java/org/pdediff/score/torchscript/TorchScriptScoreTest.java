package org.pdediff.score.torchscript;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.assertThrows;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.MethodSource;
import org.pdediff.core.Batch;
import org.pdediff.core.InvalidInputException;
import org.pdediff.core.Json;
import org.pdediff.core.RandomStream;
import org.pdediff.sde.Sde;
import org.pdediff.sde.Sdes;

/**
 * Foreign TorchScript scores against analytic oracles (the exact score of N(μ1, v I) under vp, exported in every
 * output and time convention) and against PyTorch autograd reference values (reference.json, written by
 * make_fixtures.py next to the fixtures).
 */
class TorchScriptScoreTest {
    static final Path DIR = Path.of("src/test/resources/torchscript");
    static final Sde VP = Sdes.parse("vp");
    static final double MEAN = 0.5;
    static final double VAR = 0.64;
    static final Batch X = Batch.ofRows(new double[] {0.3, -0.7}, new double[] {1.2, 0.4}, new double[] {-0.5, -1.1}, new double[] {2.5, 0.9});
    static final double[] TIMES = {0.02, 0.3, 0.9};
    static final java.util.Map<String, TorchScriptScore> CACHE = new ConcurrentHashMap<>();

    @TempDir
    static Path tmp;

    static TorchScriptScore load(String file, String opts) {
        return CACHE.computeIfAbsent(file + "|" + opts,
                k -> TorchScriptScore.load(TorchScriptSpec.parse(DIR.resolve(file) + (opts.isEmpty() ? "" : ":" + opts)), VP, file.startsWith("conv") ? 64 : 2));
    }

    @AfterAll
    static void close() {
        CACHE.values().forEach(TorchScriptScore::close);
        CACHE.clear();
    }

    static Stream<Arguments> conventions() {
        return Stream.of("score", "noise", "potential").flatMap(o -> Stream.of("t", "sigma", "log_sigma").map(t -> Arguments.of(o, t)));
    }

    /** The exact score of N(0.5·1, 0.64 I) under vp: v(t) = α²·0.64 + σ², s = −(x − 0.5α)/v, ∇·s = −2/v (MATH.md M11). */
    static double exact(double x, double t) {
        double a = VP.alpha(t);
        return -(x - MEAN * a) / (a * a * VAR + VP.sigma2(t));
    }

    /**
     * Score, divergence and score-FP residual (M5) of the exact Gaussian score in all nine conventions. Tolerances: the
     * network evaluates the closed form in float64 from τ (t, σ or log σ computed in Java); converting τ back costs a
     * few ulps amplified by at most 1/(1 − α²)-type factors (≤ 10³ at t = 0.02), so scores agree to 1e-11 relative.
     * Divergence and Jacobian: exact autograd for score/noise (1e-11); for a potential central differences of the exact
     * gradient, which are exact for a quadratic φ up to rounding ε|s|/h with h = ε^{1/3}σ: 1e-9 relative to |s|/σ.
     * The residual of an exact score is 0: the terms it balances are of size g²|s|/v, and its error is that of
     * ∂_t s (exact, or central differences of exact ∂_τφ: ε^{2/3}) and of ∇(∇·s) (differences of an x-independent
     * divergence: rounding only, ε^{2/3}/σ for score/noise, Richardson second differences with rounding ≈ ε^{2/3}/σ² for
     * potentials), so |r| ≤ 1e-7 times g²(|s|/v + 1/v^{3/2}).
     */
    @ParameterizedTest
    @MethodSource("conventions")
    void exactGaussianScoreInEveryConvention(String output, String time) {
        TorchScriptScore s = load("gauss_" + output + "_" + time + ".pt", "output=" + output + ",time=" + time);
        assertThat(s.precision()).isEqualTo(Precision.FLOAT64);
        boolean pot = output.equals("potential");
        for (double t : TIMES) {
            Batch sc = s.score(X, t);
            double v = VP.alpha(t) * VP.alpha(t) * VAR + VP.sigma2(t);
            double[] div = new double[X.size()];
            s.divergence(X, t, div);
            Batch r = s.fpResidual(X, t);
            for (int i = 0; i < X.size(); i++) {
                double norm = Math.hypot(exact(X.get(i, 0), t), exact(X.get(i, 1), t));
                for (int j = 0; j < 2; j++) {
                    assertThat(sc.get(i, j)).as("%s/%s t=%s", output, time, t).isCloseTo(exact(X.get(i, j), t),
                            org.assertj.core.data.Offset.offset(1e-11 * (norm + 1 / Math.sqrt(v))));
                }
                double tolDiv = (pot ? 1e-9 * norm / VP.sigma(t) : 0) + 1e-11 * 2 / v;
                assertThat(div[i]).as("div %s/%s t=%s", output, time, t).isCloseTo(-2 / v, org.assertj.core.data.Offset.offset(tolDiv));
                double scale = VP.g2(t) * (norm / v + Math.pow(v, -1.5));
                double tolR = 1e-7 * scale;
                assertThat(Math.hypot(r.get(i, 0), r.get(i, 1))).as("FP residual %s/%s t=%s", output, time, t).isLessThan(tolR);
            }
        }
    }

    static JsonNode reference() throws Exception {
        return Json.MAPPER.readTree(DIR.resolve("reference.json").toFile());
    }

    static double[][] matrix(JsonNode a) {
        double[][] m = new double[a.size()][];
        for (int i = 0; i < a.size(); i++) {
            m[i] = new double[a.get(i).size()];
            for (int j = 0; j < m[i].length; j++) {
                m[i][j] = a.get(i).get(j).asDouble();
            }
        }
        return m;
    }

    static void close(double[] got, double[] want, double rel, String what) {
        double scale = 0;
        for (double w : want) {
            scale = Math.max(scale, Math.abs(w));
        }
        for (int k = 0; k < want.length; k++) {
            assertThat(got[k]).as("%s[%d]", what, k).isCloseTo(want[k], org.assertj.core.data.Offset.offset(rel * scale));
        }
    }

    static double[] flat(double[][] m) {
        return java.util.Arrays.stream(m).flatMapToDouble(java.util.Arrays::stream).toArray();
    }

    /**
     * mlp2 (score, with a Dropout layer that eval mode must switch off) and potential2 against PyTorch autograd at
     * per-point times. float64; tolerances relative to the largest reference value: 1e-12 for exact autograd values
     * (same kernels, different summation order), 1e-8 for potential Hessian-based values (central differences of the
     * exact gradient, ε^{2/3} ≈ 4e-11 times curvature ratios ≤ 10²), and 1e-6 for the FP residual, the bar
     * (error ≈ ε^{2/3} for both, see TorchScriptScore).
     */
    @ParameterizedTest
    @org.junit.jupiter.params.provider.ValueSource(strings = {"mlp2", "potential2"})
    void matchesPyTorchAutograd(String key) throws Exception {
        JsonNode ref = reference().get(key);
        boolean pot = key.startsWith("potential");
        TorchScriptScore s = load(key + ".pt", pot ? "output=potential" : "");
        double[][] x = matrix(ref.get("x"));
        double[] t = new double[x.length];
        for (int i = 0; i < x.length; i++) {
            t[i] = ref.get("t").get(i).asDouble();
        }
        double[][] v = matrix(ref.get("v"));
        double[][] score = matrix(ref.get("score"));
        double[][] vjp = matrix(ref.get("vjp"));
        double[][][] jac = new double[x.length][][];
        for (int i = 0; i < x.length; i++) {
            jac[i] = matrix(ref.get("jacobian").get(i));
        }
        double[][] fp = matrix(ref.get("fp_residual"));
        double exactRel = pot ? 1e-8 : 1e-12;
        for (int i = 0; i < x.length; i++) {
            Batch xi = Batch.ofRows(x[i]);
            Batch vi = Batch.ofRows(v[i]);
            close(s.score(xi, t[i]).data(), score[i], 1e-12, key + " score");
            close(s.vjp(xi, t[i], vi).data(), vjp[i], exactRel, key + " vjp");
            double[] j = new double[4];
            s.jacobian(xi, t[i], j);
            close(j, flat(jac[i]), exactRel, key + " jacobian");
            double[] div = new double[1];
            s.divergence(xi, t[i], div);
            close(div, new double[] {ref.get("divergence").get(i).asDouble()}, exactRel, key + " divergence");
            close(s.fpResidual(xi, t[i]).data(), fp[i], 1e-6, key + " FP residual");
        }
    }

    /**
     * conv8 (float32, 1→1 convolutions on 8×8 images, d = 64): scores and VJPs against PyTorch, exact divergence
     * (64 backward rows per point) and Hutchinson. float32 tolerances: 1e-5 relative (a few ulps through two
     * convolutions); the divergence sums 64 float32 terms: 1e-5 relative. Hutchinson with 400 Rademacher probes must
     * lie within 4 standard errors of the exact divergence, and its standard error must be within a factor 2 of
     * sd/√400 with sd² = 2 Σ_{a≠b} ((J_ab + J_ba)/2)² (the variance of vᵀJv for Rademacher v).
     */
    @Test
    void convNetworkInFloat32MatchesPyTorchWithExactAndHutchinsonDivergence() throws Exception {
        JsonNode ref = reference().get("conv8");
        TorchScriptScore s = load("conv8.pt", "");
        assertThat(s.precision()).isEqualTo(Precision.FLOAT32);
        double[][] x = matrix(ref.get("x"));
        double[][] v = matrix(ref.get("v"));
        for (int i = 0; i < x.length; i++) {
            double t = ref.get("t").get(i).asDouble();
            Batch xi = Batch.ofRows(x[i]);
            close(s.score(xi, t).data(), matrix(ref.get("score"))[i], 1e-5, "conv score");
            close(s.vjp(xi, t, Batch.ofRows(v[i])).data(), matrix(ref.get("vjp"))[i], 1e-5, "conv vjp");
            double[] div = new double[1];
            s.divergence(xi, t, div);
            double want = ref.get("divergence").get(i).asDouble();
            assertThat(div[0]).isCloseTo(want, org.assertj.core.data.Offset.offset(1e-5 * Math.abs(want)));
            double[] jac = new double[64 * 64];
            s.jacobian(xi, t, jac);
            double var = 0;
            for (int a = 0; a < 64; a++) {
                for (int b = 0; b < 64; b++) {
                    if (a != b) {
                        double m = 0.5 * (jac[a * 64 + b] + jac[b * 64 + a]);
                        var += 2 * m * m;
                    }
                }
            }
            TorchScriptScore.DivergenceEstimate h = s.hutchinson(xi, t, 400, RandomStream.of(7).derive("hutchinson"));
            assertThat(Math.abs(h.mean()[0] - want)).isLessThan(4 * h.stderr()[0]);
            assertThat(h.stderr()[0]).isBetween(0.5 * Math.sqrt(var / 400), 2 * Math.sqrt(var / 400));
        }
    }

    /** Scores are evaluated in fixed chunks: a point's score does not depend on the batch it came in (bit for bit). */
    @Test
    void scoreDoesNotDependOnTheBatch() {
        TorchScriptScore s = load("mlp2.pt", "");
        RandomStream rng = RandomStream.of(3);
        Batch big = Batch.zeros(600, 2);
        rng.fillNormal(big, 0, 0);
        Batch all = s.score(big, 0.4);
        Batch few = Batch.zeros(5, 2);
        for (int i = 0; i < 5; i++) {
            few.set(i, 0, big.get(297 + i, 0));
            few.set(i, 1, big.get(297 + i, 1));
        }
        Batch part = s.score(few, 0.4);
        for (int i = 0; i < 5; i++) {
            assertThat(part.get(i, 0)).isEqualTo(all.get(297 + i, 0));
            assertThat(part.get(i, 1)).isEqualTo(all.get(297 + i, 1));
        }
    }

    /** dτ/dt of σ and log σ against central differences of τ(t), for every SDE (checks Var' = −2aVar + g²). */
    @ParameterizedTest
    @EnumSource(TimeInput.class)
    void timeDerivativesAgreeWithDifferences(TimeInput ti) {
        for (String spec : List.of("vp", "subvp", "ve", "ou", "heat")) {
            Sde sde = Sdes.parse(spec);
            for (double f : new double[] {0.05, 0.3, 0.8}) {
                double t = f * sde.T();
                double h = 1e-5 * t;
                double fd = (ti.value(sde, t + h) - ti.value(sde, t - h)) / (2 * h);
                // central difference error O(h²τ''') ≈ 1e-10 relative, rounding 1e-16/1e-5 = 1e-11
                assertThat(ti.derivative(sde, t)).as("%s %s t=%s", ti, spec, t).isCloseTo(fd,
                        org.assertj.core.data.Offset.offset(1e-6 * Math.abs(fd) + 1e-9));
            }
        }
    }

    @Test
    void specParsing() {
        TorchScriptSpec a = TorchScriptSpec.parse("/a/b:c/model.pt");
        assertThat(a.path()).isEqualTo(Path.of("/a/b:c/model.pt"));
        assertThat(a.output()).isEqualTo(ScoreOutput.SCORE);
        assertThat(a.time()).isEqualTo(TimeInput.T);
        assertThat(a.dtype()).isNull();
        TorchScriptSpec b = TorchScriptSpec.parse("m.pt:output=noise,time=log_sigma,dtype=float64");
        assertThat(b.output()).isEqualTo(ScoreOutput.NOISE);
        assertThat(b.time()).isEqualTo(TimeInput.LOG_SIGMA);
        assertThat(b.dtype()).isEqualTo(Precision.FLOAT64);
        assertThat(b.canonical()).isEqualTo("m.pt:output=noise,time=log_sigma,dtype=float64");
        assertThat(assertThrows(InvalidInputException.class, () -> TorchScriptSpec.parse("m.pt:outptu=noise")).getMessage()).contains("outptu");
        assertThat(assertThrows(InvalidInputException.class, () -> TorchScriptSpec.parse("m.pt:output=eps")).getMessage()).contains("output");
        assertThat(assertThrows(InvalidInputException.class, () -> TorchScriptSpec.parse("")).getMessage()).contains("path");
    }

    static String refused(Path file, String opts) {
        InvalidInputException e = assertThrows(InvalidInputException.class,
                () -> TorchScriptScore.load(TorchScriptSpec.parse(file + (opts.isEmpty() ? "" : ":" + opts)), VP, 2).close());
        assertThat(e.getMessage()).doesNotContain("\n");
        return e.getMessage();
    }

    @Test
    void contractViolationsAreOneLineInputErrors() throws Exception {
        assertThat(refused(tmp.resolve("missing.pt"), "")).contains("no such file");
        Path text = tmp.resolve("text.pt");
        Files.writeString(text, "not a model\n");
        assertThat(refused(text, "")).contains("not a TorchScript file");
        Path cut = tmp.resolve("cut.pt");
        byte[] all = Files.readAllBytes(DIR.resolve("mlp2.pt"));
        Files.write(cut, java.util.Arrays.copyOf(all, all.length / 2));
        assertThat(refused(cut, "")).contains("not a loadable TorchScript file");
        assertThat(refused(DIR.resolve("wide3.pt"), "")).contains("returns shape").contains("needs (3, 2)");
        assertThat(refused(DIR.resolve("wide3.pt"), "output=potential")).contains("returns shape");
        assertThat(refused(DIR.resolve("broken.pt"), "")).contains("failed in forward");
        assertThat(refused(DIR.resolve("mlp2.pt"), "dtype=float32")).contains("float64 weights").contains("dtype=float32");
        // a 64-dimensional network asked for 2-dimensional data
        assertThat(refused(DIR.resolve("conv8.pt"), "")).contains("failed in forward");
    }
}
