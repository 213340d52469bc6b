package org.pdediff.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.pdediff.core.Json;
import org.pdediff.data.DataSet;
import org.pdediff.data.DataSets;
import org.pdediff.sample.SamplerKind;
import org.pdediff.sample.Samplers;
import org.pdediff.sample.SamplingOptions;
import org.pdediff.score.ScoreModel;
import org.pdediff.score.Scores;
import org.pdediff.sde.Sde;
import org.pdediff.sde.Sdes;

/** {@code --score torchscript:PATH} through the samplers and the commands. */
class TorchScriptCliTest {
    static final String DIR = "src/test/resources/torchscript/";
    static final String DATA = "gaussian:mean=0.5,std=0.8,n=200";

    @TempDir
    static Path tmp;

    /**
     * Every sampler on the exported exact Gaussian score (noise output, log σ time) gives the samples of the same
     * sampler on the analytic score (M11) with the same seed: the two scores agree to ~1e-13 relative, and the
     * samplers' maps are Lipschitz with constants O(1) on this Gaussian, so 32 samples agree to 1e-9 (1e-7 for the
     * adaptive dp45, whose accepted steps may differ by rounding-level amounts).
     */
    @ParameterizedTest
    @EnumSource(SamplerKind.class)
    void everySamplerReproducesTheAnalyticScoresSamples(SamplerKind kind) {
        DataSet ds = DataSets.parse(DATA);
        Sde vp = Sdes.parse("vp");
        ScoreModel ts = Scores.create("torchscript:" + DIR + "gauss_noise_log_sigma.pt:output=noise,time=log_sigma", ds, vp);
        ScoreModel gmm = Scores.create("gmm", ds, vp);
        SamplingOptions opts = SamplingOptions.builder().kind(kind).steps(30).eps(1e-2).seed(5).eta(0.5).build();
        double[] a = Samplers.fromPrior(ts, 32, opts, 32).samples().data();
        double[] b = Samplers.fromPrior(gmm, 32, opts, 32).samples().data();
        double tol = kind == SamplerKind.DP45 ? 1e-7 : 1e-9;
        for (int k = 0; k < a.length; k++) {
            assertThat(a[k]).as("%s [%d]", kind, k).isCloseTo(b[k], org.assertj.core.data.Offset.offset(tol));
        }
    }

    @Test
    void sampleWithAPotentialNetworkRecordsTheSpecAndSde() throws Exception {
        Path out = tmp.resolve("pot");
        CliTest.Result r = CliTest.run("sample", "--data", DATA, "--sde", "vp",
                "--score", "torchscript:" + DIR + "gauss_potential_t.pt:output=potential", "--sampler", "heun",
                "--steps", "20", "--n", "40", "--out", out.toString(), "--json");
        assertThat(r.code()).as(r.err()).isZero();
        JsonNode run = Json.MAPPER.readTree(out.resolve("run.json").toFile());
        assertThat(run.toString()).contains("torchscript:").contains("vp:bmin=0.1");
        assertThat(Files.exists(out.resolve("samples.csv"))).isTrue();
    }

    @Test
    void scoreCheckReportsAutogradResidualDivergenceAndLiYau() throws Exception {
        Path out = tmp.resolve("check");
        CliTest.Result r = CliTest.run("score-check", "--data", DATA, "--score",
                "torchscript:" + DIR + "gauss_score_sigma.pt:time=sigma", "--points", "200", "--times", "0.05,0.5",
                "--out", out.toString());
        assertThat(r.code()).as(r.err()).isZero();
        JsonNode rows = Json.MAPPER.readTree(out.resolve("run.json").toFile()).get("results").get("rows");
        assertThat(rows.size()).isEqualTo(2);
        for (JsonNode row : rows) {
            double t = row.get("t").asDouble();
            Sde vp = Sdes.parse("vp");
            double v = vp.alpha(t) * vp.alpha(t) * 0.64 + vp.sigma2(t);
            // exact score: residual is rounding only (see TorchScriptScoreTest), rel_L2 rounding only
            assertThat(row.get("rel_l2").asDouble()).isLessThan(1e-10);
            assertThat(row.get("fp_residual_rms").asDouble()).isLessThan(1e-9 * vp.g2(t) / v);
            assertThat(row.get("divergence_mean").asDouble()).isCloseTo(-2 / v, org.assertj.core.data.Offset.offset(1e-10 / v));
            // Li–Yau margin of N(m, vI): λ_min(−I/v) + 1/σ² = 1/σ² − 1/v > 0
            assertThat(row.get("li_yau_margin_min").asDouble()).isCloseTo(1 / vp.sigma2(t) - 1 / v,
                    org.assertj.core.data.Offset.offset(1e-9 / vp.sigma2(t)));
        }
    }

    /**
     * The oneDNN defect (issue 11): with oneDNN allowed to use AVX-512, libtorch's float32 Conv2d backward gives wrong
     * input gradients for the 1→1 convolutions of conv8.pt, and the load-time self-check must refuse the network.
     * Runs a second JVM with DNNL_MAX_CPU_ISA=ALL (the test JVM itself runs with AVX); only on AVX-512 CPUs.
     */
    @Test
    void selfCheckRefusesWrongConvolutionGradients() throws Exception {
        org.junit.jupiter.api.Assumptions.assumeTrue(Files.isReadable(Path.of("/proc/cpuinfo"))
                && Files.readString(Path.of("/proc/cpuinfo")).contains("avx512f"), "needs an AVX-512 CPU");
        String javaBin = ProcessHandle.current().info().command().orElseThrow();
        ProcessBuilder pb = new ProcessBuilder(javaBin, "-Dai.djl.offline=true", "-DOPT_OUT_TRACKING=true",
                "-Dai.djl.pytorch.num_threads=1", "-Dai.djl.pytorch.num_interop_threads=1", "-cp",
                System.getProperty("java.class.path"), "org.pdediff.cli.Main", "score-check", "--data", "digits",
                "--score", "torchscript:" + DIR + "conv8.pt", "--points", "4", "--times", "0.5");
        pb.environment().put("DNNL_MAX_CPU_ISA", "ALL");
        pb.environment().put("TORCH_CPP_LOG_LEVEL", "ERROR");
        pb.redirectErrorStream(true);
        Process p = pb.start();
        String out = new String(p.getInputStream().readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
        assertThat(p.waitFor()).as(out).isEqualTo(2);
        assertThat(out).contains("disagrees with a finite difference").contains("DNNL_MAX_CPU_ISA=AVX");
    }

    @Test
    void contractViolationsExitTwoWithOneLineAndWriteNothing() throws Exception {
        for (String[] args : Stream.of(
                new String[] {"sample", "--data", "moons:n=50", "--score", "torchscript:" + DIR + "missing.pt"},
                new String[] {"sample", "--data", "moons:n=50", "--score", "torchscript:" + DIR + "wide3.pt"},
                new String[] {"sample", "--data", "moons:n=50", "--score", "torchscript:" + DIR + "broken.pt"},
                new String[] {"sample", "--data", "moons:n=50", "--score", "torchscript:" + DIR + "mlp2.pt:dtype=float32"},
                new String[] {"sample", "--data", "digits", "--score", "torchscript:" + DIR + "mlp2.pt"}).toList()) {
            Path out = tmp.resolve("bad" + args[4].hashCode());
            String[] full = Stream.concat(Stream.of(args), Stream.of("--out", out.toString())).toArray(String[]::new);
            CliTest.Result r = CliTest.run(full);
            assertThat(r.code()).as(String.join(" ", args) + ": " + r.err()).isEqualTo(2);
            assertThat(r.err().strip()).startsWith("pdediff: torchscript").doesNotContain("\n").doesNotContain("Exception");
            try (Stream<Path> files = Files.exists(out) ? Files.list(out) : Stream.empty()) {
                assertThat(files.count()).isZero();
            }
        }
    }
}
