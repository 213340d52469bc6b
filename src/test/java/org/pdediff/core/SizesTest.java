package org.pdediff.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

/** Sizes fail cleanly before allocation: overflow, the Java array limit and the heap ceiling are one input error. */
class SizesTest {
    @Test
    void overflowArrayLimitAndHeapAreInputErrorsNamingTheSize() {
        assertThat(Sizes.product("x", 1000, 1000, 8)).isEqualTo(8_000_000);
        assertThatThrownBy(() -> Sizes.product("--n", Long.MAX_VALUE / 2, 3)).isInstanceOf(InvalidInputException.class)
                .hasMessageContaining("overflows");
        assertThatThrownBy(() -> Sizes.arrayLength("--steps 2147483647", 2147483648L)).isInstanceOf(InvalidInputException.class)
                .hasMessageContaining("2,147,483,648").hasMessageContaining("more than Java allows");
        long tooMuch = Runtime.getRuntime().maxMemory();
        assertThatThrownBy(() -> Sizes.requireHeap("--n 1e12", tooMuch)).isInstanceOf(InvalidInputException.class)
                .hasMessageContaining("needs about").hasMessageContaining("Java may use");
        // Batch allocation goes through it: no NegativeArraySizeException or ArithmeticException
        assertThatThrownBy(() -> Batch.zeros(2_000_000_000, 2)).isInstanceOf(InvalidInputException.class)
                .hasMessageContaining("a batch of 2000000000 points in d = 2");
        assertThatThrownBy(() -> Batch.zeros(Integer.MAX_VALUE, Integer.MAX_VALUE)).isInstanceOf(InvalidInputException.class);
        assertThat(Batch.zeros(10, 3).data()).hasSize(30);
    }
}
