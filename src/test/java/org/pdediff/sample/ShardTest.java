package org.pdediff.sample;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;
import org.pdediff.core.InvalidInputException;

/** Shard ranges tile the particles exactly once, in order, in whole units. */
class ShardTest {
    @Test
    void shardsTileTheParticlesInWholeUnits() {
        for (int n : new int[] {1, 2, 7, 10, 37, 100, 1001}) {
            for (int unit : new int[] {1, 3, 10, 64}) {
                long units = (n + unit - 1) / unit;
                for (int count = 1; count <= Math.min(units, 9); count++) {
                    int expected = 0;
                    for (int i = 0; i < count; i++) {
                        Shard s = new Shard(i, count);
                        s.requireNonEmpty(n, unit, "units");
                        assertThat(s.from(n, unit)).isEqualTo(expected);
                        assertThat(s.to(n, unit)).isGreaterThan(s.from(n, unit));
                        assertThat(s.from(n, unit) % unit).isZero();
                        expected = s.to(n, unit);
                    }
                    assertThat(expected).isEqualTo(n);
                }
            }
        }
    }

    @Test
    void badShardsAreInputErrors() {
        assertThat(Shard.parse(" 2 / 5 ")).isEqualTo(new Shard(2, 5));
        for (String bad : new String[] {"5/5", "1/0", "-1/3", "x", "1/", "1/2/3", ""}) {
            assertThatThrownBy(() -> Shard.parse(bad)).as(bad).isInstanceOf(InvalidInputException.class).hasMessageContaining("--shard");
        }
        assertThatThrownBy(() -> new Shard(0, 4).requireNonEmpty(3, 1, "particles")).isInstanceOf(InvalidInputException.class)
                .hasMessageContaining("at most 3 shards");
    }
}
