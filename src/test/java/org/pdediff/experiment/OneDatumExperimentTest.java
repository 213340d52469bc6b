package org.pdediff.experiment;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.pdediff.cli.Main;
import org.pdediff.core.ProgressListener;
import org.pdediff.sde.OuSde;

class OneDatumExperimentTest {
    @TempDir
    Path tmp;

    @Test
    void quickRunConfirmsM13AndTheDdpmIdentity() throws Exception {
        OneDatumExperiment e = new OneDatumExperiment();
        Experiments.run(e, OneDatumExperiment.Params.defaults(true), new ExperimentContext(tmp, true, 0, ProgressListener.NONE));
        JsonNode r = ReportFiles.check(tmp, "one-datum");
        assertThat(r.get("claim_holds").asBoolean()).isTrue();
        // the identity is algebraic: only rounding separates the two sets of coefficients
        assertThat(r.get("max_identity_error").asDouble()).isLessThan(1e-12);
        for (JsonNode row : r.get("checks")) {
            assertThat(row.get("within_tolerance").asBoolean()).as(row.toString()).isTrue();
        }
    }

    @Test
    void identityErrorIsRoundingOnly() {
        assertThat(OneDatumExperiment.identityError(new OuSde(1, Math.sqrt(2), 5))).isLessThan(1e-12);
    }

    @Test
    void commandLineRunsAndRejectsBadOptions() {
        assertThat(Main.execute("experiment", "one-datum", "--quick", "--n", "2000", "--steps", "100", "--out", tmp.resolve("cli").toString(), "--json"))
                .isZero();
        assertThat(Main.execute("experiment", "one-datum", "--quick", "--v0", "-1", "--out", tmp.resolve("bad").toString())).isEqualTo(2);
        assertThat(Main.execute("experiment", "no-such-experiment", "--out", tmp.resolve("bad2").toString())).isEqualTo(2);
    }
}
