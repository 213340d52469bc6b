package org.pdediff.core;

/** The version of pdediff, recorded in every {@code run.json}. */
public final class Version {
    /** Keep in step with the {@code <version>} of pom.xml (a test checks this). */
    public static final String VALUE = "0.1.0";

    private Version() {
    }
}
