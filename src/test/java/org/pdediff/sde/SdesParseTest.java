package org.pdediff.sde;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;
import org.pdediff.core.InvalidInputException;

class SdesParseTest {
    static Stream<Sde> sdes() {
        return Stream.of(new VpSde(), new VpSde(0.05, 12.5, 1.7), new SubVpSde(), new SubVpSde(0.3, 0.3, 0.1),
                new VeSde(), new VeSde(0.001, 1.0 / 3, 2), new OuSde(), new OuSde(1, 1, 10), new OuSde(0.1, Math.PI, 7.25),
                new HeatSde(), new HeatSde(1e-3));
    }

    @ParameterizedTest
    @MethodSource("sdes")
    void parseRoundTripsTheCanonicalSpec(Sde sde) {
        Sde back = Sdes.parse(sde.spec());
        assertThat(back).isEqualTo(sde);
        assertThat(back.spec()).isEqualTo(sde.spec());
        assertThat(sde.spec()).startsWith(sde.kind().name().toLowerCase(java.util.Locale.ROOT) + ":");
    }

    @ParameterizedTest
    @CsvSource(delimiter = ';', value = {"vp; vp:bmin=0.1,bmax=20,T=1", "VP; vp:bmin=0.1,bmax=20,T=1",
        "subvp; subvp:bmin=0.1,bmax=20,T=1", "sub-vp; subvp:bmin=0.1,bmax=20,T=1", "ve; ve:smin=0.01,smax=50,T=1",
        "ou; ou:theta=1,g=" + 1.4142135623730951 + ",T=5", "heat; heat:T=2", "ou:g=1,T=10; ou:theta=1,g=1,T=10",
        "vp:bmax=10; vp:bmin=0.1,bmax=10,T=1"})
    void defaultsAreTheDocumentedOnes(String text, String canonical) {
        assertThat(Sdes.parse(text).spec()).isEqualTo(canonical);
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "foo", "vp:bmn=1", "heat:T=0", "heat:T=-1", "ve:smin=1,smax=1", "ve:smin=2,smax=1",
        "ve:smin=0", "ve:smin=-0.1", "ve:T=0", "ou:theta=0", "ou:theta=-1", "ou:g=0", "ou:T=-2", "vp:T=0", "vp:bmin=-1",
        "vp:bmin=5,bmax=1", "vp:bmin=0,bmax=0", "vp:bmin=abc", "vp:bmin=NaN", "vp:bmax=Infinity", "subvp:T=0",
        "subvp:bmin=-1", "heat:theta=1", "ou:smin=1", "vp:bmin=0.1,bmin=0.2"})
    void badSpecsAreInvalidInput(String text) {
        assertThatThrownBy(() -> Sdes.parse(text)).isInstanceOf(InvalidInputException.class);
    }

    @ParameterizedTest
    @ValueSource(strings = {"foo", "vp:bmn=1"})
    void messagesNameTheCulprit(String text) {
        String culprit = text.contains(":") ? "bmn" : "foo";
        assertThatThrownBy(() -> Sdes.parse(text)).hasMessageContaining(culprit);
    }
}
