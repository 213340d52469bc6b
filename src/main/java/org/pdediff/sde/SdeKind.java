package org.pdediff.sde;

/** The forward SDEs of table M1. */
public enum SdeKind {
    /** Variance preserving (DDPM's continuous limit). */
    VP,
    /** Sub-variance preserving. */
    SUBVP,
    /** Variance exploding (SMLD's continuous limit). */
    VE,
    /** Ornstein–Uhlenbeck with constant rate θ and diffusion g. */
    OU,
    /** The heat equation: f = 0, g = √2. */
    HEAT
}
