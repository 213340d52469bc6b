package org.pdediff.sde;

import org.pdediff.core.InvalidInputException;
import org.pdediff.core.Spec;

/** Parses SDE specs: {@code vp:bmin=0.1,bmax=20}, {@code subvp}, {@code ve:smin=0.01,smax=50}, {@code ou:theta=1,g=1.41421356,T=5}, {@code heat:T=2}. */
public final class Sdes {
    /** Names accepted by {@link #parse(String)}. */
    public static final String NAMES = "vp, subvp, ve, ou, heat";

    private Sdes() {
    }

    public static Sde parse(String text) {
        Spec s = Spec.parse(text);
        Sde sde = switch (s.name()) {
            case "vp" -> new VpSde(s.getDouble("bmin", LinearBetaSde.DEFAULT_BMIN), s.getDouble("bmax", LinearBetaSde.DEFAULT_BMAX),
                    s.getDouble("T", LinearBetaSde.DEFAULT_T));
            case "subvp", "sub-vp" -> new SubVpSde(s.getDouble("bmin", LinearBetaSde.DEFAULT_BMIN),
                    s.getDouble("bmax", LinearBetaSde.DEFAULT_BMAX), s.getDouble("T", LinearBetaSde.DEFAULT_T));
            case "ve" -> new VeSde(s.getDouble("smin", 0.01), s.getDouble("smax", 50), s.getDouble("T", 1));
            case "ou" -> new OuSde(s.getDouble("theta", 1), s.getDouble("g", Math.sqrt(2)), s.getDouble("T", 5));
            case "heat" -> new HeatSde(s.getDouble("T", 2));
            default -> throw new InvalidInputException("unknown SDE '" + s.name() + "' (known: " + NAMES + ")");
        };
        s.requireAllUsed("SDE");
        return sde;
    }

    static void check(boolean ok, String message) {
        if (!ok) {
            throw new InvalidInputException(message);
        }
    }

    static String fmt(double v) {
        if (v == Math.rint(v) && Math.abs(v) < 1e15) {
            return Long.toString((long) v);
        }
        return Double.toString(v);
    }
}
