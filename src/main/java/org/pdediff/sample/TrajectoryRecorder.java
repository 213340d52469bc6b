package org.pdediff.sample;

import java.util.ArrayList;
import java.util.List;
import org.pdediff.core.Batch;

/**
 * Records copies of the particles at requested times. On a fixed grid each request is served at its nearest grid
 * time ({@link TimeGrid#nearest}); adaptive methods land exactly on the requested times and are recorded there.
 * Snapshots come in the order reached; several requests of one time give several snapshots. One instance per run.
 */
final class TrajectoryRecorder implements StepHandler {
    private final double[] requested;
    private final int[] gridIndex;
    private final boolean[] done;
    private final List<Snapshot> snapshots = new ArrayList<>();

    private TrajectoryRecorder(double[] requested, int[] gridIndex) {
        this.requested = requested.clone();
        this.gridIndex = gridIndex;
        this.done = new boolean[requested.length];
    }

    /** Serves each request at the nearest time of a fixed grid. */
    static TrajectoryRecorder nearestOf(TimeGrid grid, double[] times) {
        int[] idx = new int[times.length];
        for (int r = 0; r < times.length; r++) {
            idx[r] = grid.nearest(times[r]);
        }
        return new TrajectoryRecorder(times, idx);
    }

    /** Serves each request at exactly its time (for methods that land there). */
    static TrajectoryRecorder exact(double[] times) {
        return new TrajectoryRecorder(times, null);
    }

    @Override
    public void init(double t0, Batch x0) {
        if (gridIndex != null) {
            record(0, t0, x0);
        } else {
            recordAt(t0, x0);
        }
    }

    @Override
    public void handleStep(StepEvent e) {
        if (gridIndex != null) {
            record(e.step(), e.t(), e.x());
        } else if (e.exact()) {
            recordAt(e.t(), e.x());
        }
    }

    private void record(int k, double t, Batch x) {
        for (int r = 0; r < gridIndex.length; r++) {
            if (!done[r] && gridIndex[r] == k) {
                done[r] = true;
                snapshots.add(new Snapshot(t, x.copy()));
            }
        }
    }

    private void recordAt(double t, Batch x) {
        for (int r = 0; r < requested.length; r++) {
            if (!done[r] && Math.abs(requested[r] - t) <= 1e-12 * Math.max(1, Math.abs(t))) {
                done[r] = true;
                snapshots.add(new Snapshot(t, x.copy()));
            }
        }
    }

    List<Snapshot> snapshots() {
        return List.copyOf(snapshots);
    }
}
