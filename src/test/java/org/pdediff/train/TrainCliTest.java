package org.pdediff.train;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.pdediff.cli.Main;
import org.pdediff.core.Json;
import picocli.CommandLine;

/** {@code pdediff train} and {@code pdediff score-check} end to end. */
class TrainCliTest {
    private record Run(int code, String out, String err) {
    }

    private static Run run(String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        CommandLine cl = Main.commandLine();
        cl.setOut(new PrintWriter(out, true));
        cl.setErr(new PrintWriter(err, true));
        int code = cl.execute(args);
        return new Run(code, out.toString(), err.toString());
    }

    @Test
    void trainWritesModelLogPlotAndRunRecordThenScoreCheckReadsTheModel(@TempDir Path dir) throws Exception {
        Path model = dir.resolve("m.pdm");
        Run t = run("train", "--data", "gaussian:n=400,mean=0.5", "--sde", "vp", "--param", "potential", "--steps", "40",
                "--batch", "64", "--width", "8", "--depth", "1", "--fourier", "2", "--fp-weight", "0.1", "--fp-batch", "4",
                "--validate-every", "20", "--validation-size", "32", "--seed", "3", "--out", model.toString(), "--json");
        assertThat(t.code()).as(t.err()).isZero();
        JsonNode j = Json.MAPPER.readTree(t.out());
        assertThat(j.get("model").asText()).isEqualTo(model.toAbsolutePath().toString());
        assertThat(j.get("steps").asInt()).isEqualTo(40);
        assertThat(j.get("final_fp").asDouble()).isPositive();
        assertThat(j.get("val_rel_err").asDouble()).isPositive();
        assertThat(Checkpoint.read(model).architecture().parameterisation()).isEqualTo(Parameterisation.POTENTIAL);
        List<String> log = Files.readAllLines(dir.resolve("m.log.csv"));
        assertThat(log).hasSize(3);
        assertThat(log.get(0)).isEqualTo("step,lr,loss,dsm,fp,grad_norm,val_dsm,val_rel_err,elapsed_s");
        assertThat(log.get(2)).startsWith("40,");
        byte[] png = Files.readAllBytes(dir.resolve("m.loss.png"));
        assertThat(png).startsWith((byte) 0x89, (byte) 'P', (byte) 'N', (byte) 'G');
        JsonNode rec = Json.MAPPER.readTree(dir.resolve("run.json").toFile());
        assertThat(rec.get("command").asText()).isEqualTo("train");
        assertThat(rec.get("seed").asLong()).isEqualTo(3);
        // a second model in the same folder keeps its own record; the first model's record survives
        Run t2 = run("train", "--data", "gaussian:n=400,mean=0.5", "--steps", "10", "--batch", "16", "--width", "8",
                "--depth", "1", "--fourier", "1", "--seed", "4", "--out", dir.resolve("m2.pdm").toString(), "--json");
        assertThat(t2.code()).as(t2.err()).isZero();
        assertThat(Json.MAPPER.readTree(dir.resolve("m.run.json").toFile()).get("seed").asLong()).isEqualTo(3);
        assertThat(Json.MAPPER.readTree(dir.resolve("m2.run.json").toFile()).get("seed").asLong()).isEqualTo(4);

        Path check = dir.resolve("check");
        Run c = run("score-check", "--score", "model:" + model, "--data", "gaussian:n=400,mean=0.5", "--times", "0.1,0.5",
                "--points", "50", "--out", check.toString(), "--json");
        assertThat(c.code()).as(c.err()).isZero();
        JsonNode rows = Json.MAPPER.readTree(c.out()).get("rows");
        assertThat(rows).hasSize(2);
        for (JsonNode r : rows) {
            assertThat(r.get("rel_l2").asDouble()).isPositive();
            assertThat(r.get("fp_residual_rms").asDouble()).isPositive();
            assertThat(r.get("logdensity_fp_residual_rms").asDouble()).isPositive();
        }
        assertThat(Files.readAllLines(check.resolve("score_check.csv"))).hasSize(3);
        assertThat(check.resolve("run.json")).exists();
    }

    @Test
    void scoreCheckOfTheAnalyticScoreAgainstItselfIsExactAndItsResidualVanishes() throws Exception {
        // Against itself the error is exactly 0; the residual of the analytic score is only the difference error
        // (FpResidualTest, on score.ScoreDiagnostics, bounds it by 1e-4 of the terms' size g²|s|/σ², here O(10²) at t = 0.05).
        Run c = run("score-check", "--score", "gmm", "--data", "gaussian:n=400,mean=0.5", "--sde", "subvp", "--times", "0.05,0.5",
                "--points", "100", "--json");
        assertThat(c.code()).as(c.err()).isZero();
        for (JsonNode r : Json.MAPPER.readTree(c.out()).get("rows")) {
            assertThat(r.get("rel_l2").asDouble()).isZero();
            assertThat(r.get("fp_residual_rms").asDouble()).isLessThan(1e-2);
            assertThat(r.get("fp_residual_rms_reference").asDouble()).isEqualTo(r.get("fp_residual_rms").asDouble());
        }
    }

    @Test
    void badInputIsOneLineAndExitTwo(@TempDir Path dir) {
        Run a = run("train", "--data", "gaussian", "--param", "bogus", "--out", dir.resolve("x.pdm").toString());
        assertThat(a.code()).isEqualTo(2);
        assertThat(a.err().strip()).doesNotContain("\n").contains("unknown parameterisation 'bogus'");
        Run b = run("score-check", "--score", "model:" + dir.resolve("missing.pdm"), "--data", "gaussian");
        assertThat(b.code()).isEqualTo(2);
        assertThat(b.err().strip()).doesNotContain("\n").contains("does not exist");
        Run c = run("train", "--data", "gaussian", "--time-law", "beta:a=2,b=3", "--out", dir.resolve("x.pdm").toString());
        assertThat(c.code()).isEqualTo(2);
        assertThat(c.err()).contains("a = 1 or b = 1");
        assertThat(dir.resolve("x.pdm")).doesNotExist();
    }

    @Test
    void resumeContinuesToTheSameBitsAndRefusesAnotherSetting(@TempDir Path dir) throws Exception {
        String[] common = {"--data", "gaussian:n=200", "--width", "8", "--depth", "1", "--fourier", "1", "--batch", "16",
            "--validate-every", "5", "--validation-size", "8", "--seed", "2"};
        java.util.function.BiFunction<String, String[], Run> train = (out, extra) -> {
            List<String> args = new java.util.ArrayList<>(List.of("train"));
            args.addAll(List.of(common));
            args.addAll(List.of(extra));
            args.addAll(List.of("--out", dir.resolve(out).toString(), "--json"));
            return run(args.toArray(String[]::new));
        };
        assertThat(train.apply("whole.pdm", new String[] {"--steps", "20"}).code()).isZero();
        assertThat(train.apply("half.pdm", new String[] {"--steps", "10"}).code()).isZero();
        assertThat(dir.resolve("half.state")).exists();
        Run r = train.apply("rest.pdm", new String[] {"--steps", "20", "--resume", dir.resolve("half.pdm").toString()});
        assertThat(r.code()).as(r.err()).isZero();
        assertThat(Checkpoint.read(dir.resolve("rest.pdm")).weights()).isEqualTo(Checkpoint.read(dir.resolve("whole.pdm")).weights());
        Run bad = train.apply("bad.pdm", new String[] {"--steps", "20", "--lr", "1e-2", "--resume", dir.resolve("half.pdm").toString()});
        assertThat(bad.code()).isEqualTo(2);
        assertThat(bad.err().strip()).doesNotContain("\n").contains("cannot resume: lr differs");
        assertThat(dir.resolve("bad.pdm")).doesNotExist();
    }
}
