package org.pdediff.score;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;
import org.pdediff.core.Batch;
import org.pdediff.core.InvalidInputException;
import org.pdediff.core.RandomStream;
import org.pdediff.data.DataSet;
import org.pdediff.data.DataSets;
import org.pdediff.sde.HeatSde;
import org.pdediff.sde.OuSde;
import org.pdediff.sde.Sde;
import org.pdediff.sde.VeSde;
import org.pdediff.sde.VpSde;

class DenoiseAndFactoryTest {
    static Stream<Sde> sdes() {
        return Stream.of(new VpSde(), new VeSde(), new OuSde(), new HeatSde());
    }

    @ParameterizedTest
    @MethodSource("sdes")
    void tweedieOfOneDatumReturnsTheDatum(Sde sde) {
        double[] x0 = {0.25, -3.5, 1.125};
        Batch x = Batch.zeros(40, 3);
        RandomStream.of(13).fillNormal(x, 0, 0);
        for (double frac : new double[] {0.01, 0.3, 0.9}) {
            double t = frac * sde.T();
            double a = sde.alpha(t);
            for (ScoreModel model : new ScoreModel[] {new OneDatumScore(sde, x0), new FiniteDataScore(sde, Batch.ofRows(x0))}) {
                Batch out = Batch.zeros(40, 3);
                model.denoise(x, t, out);
                for (int i = 0; i < 40; i++) {
                    for (int k = 0; k < 3; k++) {
                        // (x + σ²·(αx₀ − x)/σ²)/α: a few roundings of numbers of size |x| + α|x₀|, divided by α
                        double tol = 1e-14 * (Math.abs(x.get(i, k)) + a * Math.abs(x0[k])) / a;
                        assertThat(out.get(i, k)).isCloseTo(x0[k], within(tol));
                    }
                }
            }
        }
    }

    @Test
    void tweedieOfFiniteDataAtSmallNoiseReturnsTheNearestDatum() {
        Batch y = DataSets.parse("points:n=20,seed=3").points();
        Sde sde = new HeatSde();
        double t = 5e-7; // σ = 1e-3, well below the spacing of 20 points in the square
        FiniteDataScore model = new FiniteDataScore(sde, y);
        Batch x = Batch.zeros(20, 2);
        for (int i = 0; i < 20; i++) {
            x.set(i, 0, y.get(i, 0) + 1e-3);
            x.set(i, 1, y.get(i, 1) - 2e-3);
        }
        Batch out = Batch.zeros(20, 2);
        model.denoise(x, t, out);
        for (int i = 0; i < 20; i++) {
            assertThat(out.row(i)).containsExactly(y.row(i), within(1e-12));
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"moons", "circles", "checker", "digits:n=50", "points"})
    void gmmScoreNeedsAKnownLaw(String set) {
        DataSet ds = DataSets.parse(set);
        assertThatThrownBy(() -> Scores.create("gmm", ds, new VpSde())).isInstanceOf(InvalidInputException.class)
                .hasMessageContaining(ds.name());
    }

    @Test
    void factoryBuildsTheNamedScores() {
        DataSet ds = DataSets.parse("blob:n=100");
        assertThat(Scores.create("exact", ds, new VpSde())).isInstanceOf(FiniteDataScore.class);
        assertThat(Scores.create(" GMM ", ds, new VpSde())).isInstanceOf(GaussianMixtureScore.class);
        assertThat(Scores.create("analytic", ds, new VpSde()).dim()).isEqualTo(2);
        assertThatThrownBy(() -> Scores.create("nosuch", ds, new VpSde())).isInstanceOf(InvalidInputException.class)
                .hasMessageContaining("nosuch");
        Scores.register("test-one", (arg, data, sde) -> new OneDatumScore(sde, new double[] {Double.parseDouble(arg), 0}));
        ScoreModel one = Scores.create("test-one:2.5", ds, new HeatSde());
        assertThat(one).isInstanceOf(OneDatumScore.class);
        assertThat(one.score(Batch.ofRows(new double[] {2.5, 0}), 0.1).data()).containsExactly(new double[] {0, 0}, within(0.0));
    }

    @Test
    void dimensionMismatchIsInvalidInputForEveryScore() {
        DataSet ds = DataSets.parse("gaussian:d=2,n=50");
        Sde sde = new VpSde();
        WithJacobian[] models = {(WithJacobian) Scores.create("exact", ds, sde), (WithJacobian) Scores.create("gmm", ds, sde),
            new OneDatumScore(sde, new double[] {1, 2})};
        for (WithJacobian m : models) {
            Batch wrong = Batch.zeros(5, 3);
            assertThatThrownBy(() -> m.score(wrong, 0.5)).as(m.describe()).isInstanceOf(InvalidInputException.class);
            assertThatThrownBy(() -> m.divergence(wrong, 0.5, new double[5])).as(m.describe()).isInstanceOf(InvalidInputException.class);
            assertThatThrownBy(() -> m.jacobian(wrong, 0.5, new double[5 * 9])).as(m.describe()).isInstanceOf(InvalidInputException.class);
            assertThatThrownBy(() -> m.score(Batch.zeros(5, 1), 0.5)).as(m.describe()).isInstanceOf(InvalidInputException.class);
        }
    }
}
