package org.pdediff.pde;

import org.pdediff.core.Grid;
import org.pdediff.core.ProgressListener;
import org.pdediff.sde.Sde;

/**
 * The knobs of a grid Fokker–Planck solve, as {@link SolverBuilder} collects them for {@link ForwardFokkerPlanck} and
 * {@link ReverseFokkerPlanck}: about {@code steps} time levels, the implicit scheme with {@code damping} Rannacher
 * steps, the variance floor δ of the time mesh (NaN: the squared smallest cell width of the grid) and the progress
 * listener.
 */
record SolverSettings(int steps, TimeScheme scheme, int damping, double floor, ProgressListener progress) {
    /**
     * The time levels of {@link TimeMesh} from {@code from} through the {@code outputs} (their level indices into
     * {@code outputIndex}), with this floor, or δ = h_min² on {@code grid} when none was set.
     */
    double[] levels(Sde sde, Grid grid, double from, double[] outputs, int[] outputIndex) {
        double fl = Double.isNaN(floor) ? grid.hMin() * grid.hMin() : floor;
        return TimeMesh.levels(sde, from, outputs, steps, fl, outputIndex);
    }
}
