package org.pdediff.data;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;
import org.pdediff.core.InvalidInputException;

class DataCatalogueTest {
    @ParameterizedTest
    @CsvSource({"gaussian,2,2000,true,false", "gmm,2,2000,true,false", "blob,2,2000,true,false",
        "circles,2,2000,false,false", "checker,2,2000,false,true", "moons,2,2000,false,false",
        "swissroll,2,2000,false,false", "spiral,2,2000,false,false", "circle,2,2000,false,true",
        "sphere,3,2000,false,true", "points,2,16,false,true", "digits,64,1797,false,false"})
    void everySetParsesWithDefaultsWithTheDocumentedShape(String name, int d, int n, boolean law, boolean support) {
        DataSet ds = DataSets.parse(name);
        assertThat(ds.dim()).isEqualTo(d);
        assertThat(ds.size()).isEqualTo(n);
        assertThat(ds.name()).isEqualTo(name);
        assertThat(ds.points().firstNonFinite()).isEqualTo(-1);
        assertThat(ds.law().isPresent()).isEqualTo(law);
        assertThat(ds.support().isPresent()).isEqualTo(support);
        ds.law().ifPresent(l -> assertThat(l.dim()).isEqualTo(d));
        // the canonical spec names every parameter and rebuilds the same points
        assertThat(ds.spec()).contains("n=" + n).contains("seed=0");
        assertThat(DataSets.parse(ds.spec()).points().data()).containsExactly(ds.points().data());
        assertThat(DataSets.parse(ds.spec()).hash()).isEqualTo(ds.hash());
    }

    @ParameterizedTest
    @ValueSource(strings = {"gaussian:d=3", "gmm", "blob", "circles", "checker", "moons", "swissroll", "spiral",
        "circle:noise=0.1", "sphere:d=4", "points:d=3", "digits:n=100"})
    void sameSeedSamePointsDifferentSeedDifferentPoints(String spec) {
        String sep = spec.contains(":") ? "," : ":";
        DataSet a = DataSets.parse(spec + sep + "seed=5");
        DataSet b = DataSets.parse(spec + sep + "seed=5");
        DataSet c = DataSets.parse(spec + sep + "seed=6");
        assertThat(b.points().data()).containsExactly(a.points().data());
        assertThat(c.points().data()).isNotEqualTo(a.points().data());
        assertThat(c.hash()).isNotEqualTo(a.hash());
    }

    @ParameterizedTest
    @ValueSource(strings = {"gaussian:d=3", "gmm", "blob", "circles", "checker", "moons", "swissroll", "spiral",
        "circle:noise=0.1", "sphere:d=4", "points:d=3"})
    void theFirstPointsDoNotDependOnN(String spec) {
        String sep = spec.contains(":") ? "," : ":";
        DataSet small = DataSets.parse(spec + sep + "n=37,seed=2");
        DataSet large = DataSets.parse(spec + sep + "n=500,seed=2");
        assertThat(small.points().data()).containsExactly(large.points().rows(0, 37).data());
    }

    @ParameterizedTest
    @ValueSource(strings = {"nosuchset", "moons:foo=1", "blob:std=1", "gaussian:std=0", "gaussian:std=-1",
        "gaussian:d=0", "gmm:k=0", "digits:n=1798", "moons:n=0", "moons:n=-3", "moons:n=2.5", "moons:noise=-1",
        "sphere:d=1", "circle:radius=0", "points:low=1,high=1", "points:low=2,high=1", "moons:seed=x", "",
        "file:", "file:/no/such/file.csv", "moons:n=5,n=6"})
    void unknownSetsKeysAndBadValuesAreInvalidInput(String spec) {
        assertThatThrownBy(() -> DataSets.parse(spec)).isInstanceOf(InvalidInputException.class);
    }
}
