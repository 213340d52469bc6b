package org.pdediff.nn;

import java.util.Arrays;

/**
 * The Taylor channels propagated by a forward pass: the value (channel 0), first-order directions 1..D (directional
 * derivatives along input tangents the caller supplies) and second-order pairs (a, b) of directions. Through
 * z = hW + b and h = act(z), with ż, z̈ the channels of z:
 * <pre>  h₀ = act(z₀),  ḣ_a = act'(z₀) ż_a,  ḧ_ab = act'(z₀) z̈_ab + act''(z₀) ż_a ż_b</pre>
 * (the bias enters the value channel only). The input of a second-order channel is ∂²(input)/∂a∂b, zero for inputs
 * linear in the directions.
 *
 * @param directions D, the number of first-order channels
 * @param pairA      first direction (1-based) of each pair
 * @param pairB      second direction (1-based) of each pair
 */
public record Channels(int directions, int[] pairA, int[] pairB) {
    public Channels {
        pairA = pairA.clone();
        pairB = pairB.clone();
        if (pairA.length != pairB.length || directions < 0) {
            throw new IllegalArgumentException("bad channel set");
        }
        for (int q = 0; q < pairA.length; q++) {
            if (pairA[q] < 1 || pairA[q] > directions || pairB[q] < 1 || pairB[q] > directions) {
                throw new IllegalArgumentException("pair directions must lie in 1.." + directions);
            }
        }
    }

    /** The value channel only. */
    public static final Channels VALUE = new Channels(0, new int[0], new int[0]);

    /** Value and D first-order directions. */
    public static Channels firstOrder(int d) {
        return new Channels(d, new int[0], new int[0]);
    }

    /** Number of channels, 1 + D + pairs. */
    public int count() {
        return 1 + directions + pairA.length;
    }

    public int pairs() {
        return pairA.length;
    }

    /** Channel index of pair q. */
    public int pair(int q) {
        return 1 + directions + q;
    }

    @Override
    public int[] pairA() {
        return pairA.clone();
    }

    @Override
    public int[] pairB() {
        return pairB.clone();
    }

    int a(int q) {
        return pairA[q];
    }

    int b(int q) {
        return pairB[q];
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Channels c && c.directions == directions && Arrays.equals(c.pairA, pairA)
                && Arrays.equals(c.pairB, pairB);
    }

    @Override
    public int hashCode() {
        return directions * 31 + Arrays.hashCode(pairA) * 7 + Arrays.hashCode(pairB);
    }
}
