package org.pdediff.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.pdediff.core.Batch;
import org.pdediff.core.NumericalFailureException;
import org.pdediff.metrics.Sinkhorn;

/** Metrics and score-check never leave with ±Inf or an unresolvable number and exit 0. */
class NumericalGuardsTest {
    @TempDir
    Path dir;

    @Test
    void sinkhornNeverReportsConvergedWithAnInfiniteCost() {
        Batch far = Batch.ofRows(new double[] {1e200, 0}, new double[] {-1e200, 1});
        Batch near = Batch.ofRows(new double[] {0, 0}, new double[] {1, 1});
        assertThatThrownBy(() -> Sinkhorn.builder().build().divergence(far, near))
                .isInstanceOf(NumericalFailureException.class).hasMessageContaining("overflow");
        Sinkhorn.Result ok = Sinkhorn.builder().build().divergence(near, near);
        assertThat(ok.converged()).isTrue();
        assertThat(Double.isFinite(ok.divergence())).isTrue();
    }

    @Test
    void metricsOfOverflowingSamplesExitThreeWithOneLineAndWriteNothing() throws Exception {
        Path huge = Files.writeString(dir.resolve("huge.csv"), "x1,x2\n1e200,0\n-1e200,1\n3e200,2\n");
        Path small = Files.writeString(dir.resolve("small.csv"), "x1,x2\n0,0\n1,1\n2,0\n");
        for (String metric : List.of("w2", "sinkhorn", "sw2", "mmd", "energy", "bures")) {
            Path out = dir.resolve("out-" + metric);
            BadInputFuzzTest.Result r = BadInputFuzzTest.run(List.of("metrics", "--a", huge.toString(), "--b", small.toString(),
                    "--metric", metric, "--out", out.toString()));
            assertThat(r.code()).as(metric + ": " + r.err() + r.out()).isEqualTo(3);
            assertThat(r.err().strip().lines().count()).as(r.err()).isEqualTo(1);
            assertThat(r.err()).startsWith("pdediff: numerical failure: ");
            assertThat(out).doesNotExist();
        }
        try (Stream<Path> s = Files.list(dir)) {
            assertThat(s.map(p -> p.getFileName().toString()).sorted().toList()).containsExactly("huge.csv", "small.csv");
        }
    }

    @Test
    void scoreCheckRefusesTimesWhoseSigmaCannotBeResolved() {
        BadInputFuzzTest.Result r = BadInputFuzzTest.run(List.of("score-check", "--score", "exact", "--data", "gaussian:n=50",
                "--points", "10", "--times", "1e-40", "--fp", "off"));
        assertThat(r.code()).isEqualTo(2);
        assertThat(r.err()).contains("too small to resolve").contains("use t >=");
        // with the FP residual the limit is higher (central differences with steps 1e-3 sigma)
        BadInputFuzzTest.Result fp = BadInputFuzzTest.run(List.of("score-check", "--score", "exact", "--data", "gaussian:n=50",
                "--points", "10", "--times", "1e-20", "--fp", "on"));
        assertThat(fp.code()).isEqualTo(2);
        BadInputFuzzTest.Result ok = BadInputFuzzTest.run(List.of("score-check", "--score", "exact", "--data", "gaussian:n=50",
                "--points", "10", "--times", "1e-20", "--fp", "off"));
        assertThat(ok.code()).as(ok.err()).isZero();
    }
}
