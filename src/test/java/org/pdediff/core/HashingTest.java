package org.pdediff.core;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.HashSet;
import java.util.Set;
import org.junit.jupiter.api.Test;

class HashingTest {
    @Test
    void sha256OfBytesMatchesTheFipsTestVector() {
        // FIPS 180-2, appendix B.1: SHA-256("abc")
        assertThat(Hashing.sha256("abc".getBytes(StandardCharsets.US_ASCII)))
                .isEqualTo("ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
    }

    @Test
    void sameDataSameHashAndEveryFlippedBitChangesIt() {
        double[] data = {0.1, -2.5, 3e-300, 1e300, Math.PI, 0};
        String h = Hashing.sha256(Batch.wrap(data.clone(), 3, 2));
        assertThat(Hashing.sha256(Batch.wrap(data.clone(), 3, 2))).isEqualTo(h).hasSize(64).matches("[0-9a-f]{64}");
        Set<String> seen = new HashSet<>();
        seen.add(h);
        for (int k = 0; k < data.length; k++) {
            for (int bit = 0; bit < 64; bit++) {
                double[] c = data.clone();
                c[k] = Double.longBitsToDouble(Double.doubleToRawLongBits(c[k]) ^ (1L << bit));
                seen.add(Hashing.sha256(Batch.wrap(c, 3, 2)));
            }
        }
        assertThat(seen).hasSize(1 + data.length * 64);
    }

    @Test
    void shapeAndSignedZeroAreHashed() {
        double[] data = {1, 2, 3, 4, 5, 6};
        assertThat(Hashing.sha256(Batch.wrap(data, 3, 2))).isNotEqualTo(Hashing.sha256(Batch.wrap(data, 2, 3)));
        assertThat(Hashing.sha256(Batch.ofRows(new double[] {0.0}))).isNotEqualTo(Hashing.sha256(Batch.ofRows(new double[] {-0.0})));
    }
}
