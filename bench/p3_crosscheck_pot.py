"""Independent check of bench/P3CrossCheck.java part A: the same W2^2 (P3's 64x64 node histograms merged to 32x32
blocks of 2x2 nodes at the blocks' mean node position) by POT's network simplex (ot.emd2), float64.

    p3_crosscheck_pot.py HIST_DIR [agg]
"""
import sys

import numpy as np
import ot
from scipy.spatial.distance import cdist

d = sys.argv[1]
agg = int(sys.argv[2]) if len(sys.argv) > 2 else 2
lin = np.linspace(-3.5, 3.5, 64)
kb = 64 // agg
xs = lin.reshape(kb, agg).mean(1)
g1, g2 = np.meshgrid(xs, xs)
grid = np.column_stack([g1.ravel(), g2.ravel()])
M = cdist(grid, grid) ** 2


def load(name):
    w = np.loadtxt(f"{d}/{name}.csv").reshape(64, 64)  # [row (y), col (x)]
    return w.reshape(kb, agg, kb, agg).sum((1, 3)).ravel()


def e(a, b):
    return ot.emd2(a / a.sum(), b / b.sum(), M, numItermax=10_000_000)


for s in ['blob', 'circles', 'checker']:
    tr = load(f"{s}_truth")
    for w in ['0.0', '0.1', '1.0', '10.0']:
        o, q = load(f"{s}_ode_{w}"), load(f"{s}_sde_{w}")
        print(f"{s} w={w}: W2sq(ODE,SDE)={e(o, q):.4g} W2sq(ODE,truth)={e(o, tr):.4g} W2sq(SDE,truth)={e(q, tr):.4g}", flush=True)
