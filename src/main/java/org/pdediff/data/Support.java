package org.pdediff.data;

import org.pdediff.core.Batch;

/**
 * The exact support K of a data law, for sets where it is known (circle, sphere, points, checker): the distance
 * dist(x, K) used by concentration (C5) and support-containment (C1) diagnostics.
 */
public interface Support {
    /** dist(x, K) for one point given as row {@code i} of a batch. */
    double distance(Batch x, int i);

    /** Distances of every point of a batch. */
    default double[] distances(Batch x) {
        double[] out = new double[x.size()];
        for (int i = 0; i < out.length; i++) {
            out[i] = distance(x, i);
        }
        return out;
    }

    /** A short description, e.g. {@code circle(r=1)}. */
    String describe();

    /** The sphere {|x| = r} in R^d (the circle when d = 2). */
    static Support sphere(double radius) {
        return new Support() {
            @Override
            public double distance(Batch x, int i) {
                double s = 0;
                for (int j = 0; j < x.dim(); j++) {
                    s += x.get(i, j) * x.get(i, j);
                }
                return Math.abs(Math.sqrt(s) - radius);
            }

            @Override
            public String describe() {
                return "sphere(r=" + radius + ")";
            }
        };
    }

    /** A finite set of points (the finite-data case of C1). Brute force: O(N) per query. */
    static Support points(Batch pts) {
        Batch own = pts.copy();
        return new Support() {
            @Override
            public double distance(Batch x, int i) {
                int d = own.dim();
                double[] p = own.data();
                double best = Double.POSITIVE_INFINITY;
                for (int k = 0; k < own.size(); k++) {
                    double s = 0;
                    for (int j = 0; j < d; j++) {
                        double v = x.get(i, j) - p[k * d + j];
                        s += v * v;
                    }
                    best = Math.min(best, s);
                }
                return Math.sqrt(best);
            }

            @Override
            public String describe() {
                return "points(N=" + own.size() + ")";
            }
        };
    }

    /** A union of closed axis-aligned squares [x0, x0+side] × [y0, y0+side] in R² (checker). */
    static Support squares(double[][] lowerLeft, double side) {
        double[][] corners = new double[lowerLeft.length][];
        for (int k = 0; k < corners.length; k++) {
            corners[k] = lowerLeft[k].clone();
        }
        return new Support() {
            @Override
            public double distance(Batch x, int i) {
                double best = Double.POSITIVE_INFINITY;
                for (double[] c : corners) {
                    double dx = Math.max(0, Math.max(c[0] - x.get(i, 0), x.get(i, 0) - c[0] - side));
                    double dy = Math.max(0, Math.max(c[1] - x.get(i, 1), x.get(i, 1) - c[1] - side));
                    best = Math.min(best, Math.hypot(dx, dy));
                }
                return best;
            }

            @Override
            public String describe() {
                return corners.length + " squares of side " + side;
            }
        };
    }
}
