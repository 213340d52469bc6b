package org.pdediff.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.NullAndEmptySource;
import org.junit.jupiter.params.provider.ValueSource;

class SpecTest {
    @Test
    void nameIsLowerCasedKeysAreCaseSensitiveAndValuesStripped() {
        Spec s = Spec.parse("  MoOns : n = 5 , Noise=0.1 ");
        assertThat(s.name()).isEqualTo("moons");
        assertThat(s.params()).containsOnlyKeys("n", "Noise");
        assertThat(s.has("noise")).isFalse();
        assertThat(s.getInt("n", 0)).isEqualTo(5);
        assertThat(s.getDouble("Noise", 0)).isEqualTo(0.1);
        s.requireAllUsed("data set");
    }

    @Test
    void bareNameHasNoParametersAndDefaultsAreReturned() {
        Spec s = Spec.parse("VP");
        assertThat(s.name()).isEqualTo("vp");
        assertThat(s.params()).isEmpty();
        assertThat(s.getDouble("bmin", 0.1)).isEqualTo(0.1);
        assertThat(s.getInt("k", 8)).isEqualTo(8);
        assertThat(s.getLong("seed", -3)).isEqualTo(-3);
        assertThat(s.getString("kind", "x")).isEqualTo("x");
        s.requireAllUsed("SDE");
    }

    @ParameterizedTest
    @NullAndEmptySource
    @ValueSource(strings = {"   ", ":a=1", " : a=1", "vp:bmin", "vp:=1", "vp:a=1,,b=2", "vp:a=1,b", "vp:a=1,a=2",
        "vp: a =1, a= 2"})
    void malformedBlankAndDuplicateSpecsAreRejected(String text) {
        assertThatThrownBy(() -> Spec.parse(text)).isInstanceOf(InvalidInputException.class);
    }

    @Test
    void duplicateKeyMessageNamesTheKey() {
        assertThatThrownBy(() -> Spec.parse("vp:bmin=1,bmin=2")).isInstanceOf(InvalidInputException.class)
                .hasMessageContaining("bmin").hasMessageContaining("twice");
    }

    @Test
    void requireAllUsedRejectsKeysNobodyRead() {
        Spec s = Spec.parse("vp:bmin=1,bmxa=2");
        s.getDouble("bmin", 0);
        s.getDouble("bmax", 20);
        assertThatThrownBy(() -> s.requireAllUsed("SDE")).isInstanceOf(InvalidInputException.class)
                .hasMessageContaining("bmxa").hasMessageContaining("SDE");
        s.getDouble("bmxa", 0);
        s.requireAllUsed("SDE");
    }

    @ParameterizedTest
    @ValueSource(strings = {"x:v=abc", "x:v=NaN", "x:v=Infinity", "x:v=-Infinity", "x:v=", "x:v=1e999"})
    void nonFiniteOrNonNumericDoublesAreRejected(String text) {
        Spec s = Spec.parse(text);
        assertThatThrownBy(() -> s.getDouble("v", 0)).isInstanceOf(InvalidInputException.class)
                .hasMessageContaining("v=");
    }

    @ParameterizedTest
    @ValueSource(strings = {"x:v=2.5", "x:v=abc", "x:v=99999999999", "x:v="})
    void nonIntegersAreRejectedByGetInt(String text) {
        assertThatThrownBy(() -> Spec.parse(text).getInt("v", 0)).isInstanceOf(InvalidInputException.class);
    }

    @Test
    void rangeCheckedGetters() {
        assertThat(Spec.parse("x:v=0.5").getPositive("v", 1)).isEqualTo(0.5);
        assertThatThrownBy(() -> Spec.parse("x:v=0").getPositive("v", 1)).isInstanceOf(InvalidInputException.class);
        assertThatThrownBy(() -> Spec.parse("x:v=-2").getPositive("v", 1)).isInstanceOf(InvalidInputException.class);
        assertThatThrownBy(() -> Spec.parse("x").getPositive("v", 0)).isInstanceOf(InvalidInputException.class);
        assertThat(Spec.parse("x:v=3").getIntAtLeast("v", 1, 3)).isEqualTo(3);
        assertThatThrownBy(() -> Spec.parse("x:v=2").getIntAtLeast("v", 1, 3)).isInstanceOf(InvalidInputException.class);
        assertThat(Spec.parse("x:v=9000000000").getLong("v", 0)).isEqualTo(9_000_000_000L);
    }

    @Test
    void fileAndModelSpecsKeepTheRestVerbatim() {
        Spec f = Spec.parse("FILE:C:/data/a,b=c.csv");
        assertThat(f.name()).isEqualTo("file");
        assertThat(f.rest()).isEqualTo("C:/data/a,b=c.csv");
        assertThat(f.params()).isEmpty();
        Spec m = Spec.parse("model:runs/x:1/ckpt,y");
        assertThat(m.rest()).isEqualTo("runs/x:1/ckpt,y");
        assertThat(m.params()).isEmpty();
    }
}
