#!/usr/bin/env python3
"""References for the demo's generalisation check (README, `pdediff demo`): the ratio mean W2(sample, held-out_k) /
mean W2(training set, held-out_k) over K = 8 held-out sets of moons (n = 1000, noise 0.05), for samples of the true law,
a resampling of the training set (what the exact score's samples are) and kernel smoothings of it. Exact W2 by
scipy's linear_sum_assignment. NumPy + SciPy only: python3 bench/demo_w2_references.py
"""
import numpy as np
from scipy.optimize import linear_sum_assignment
from scipy.spatial.distance import cdist
def moons(n, rng, noise=0.05):
    a = np.pi*rng.random(n); i = np.arange(n)
    x = np.where(i%2==0, np.cos(a)-0.5, 1-np.cos(a)-0.5)
    y = np.where(i%2==0, np.sin(a)-0.25, 0.5-np.sin(a)-0.25)
    return np.stack([x,y],1) + noise*rng.standard_normal((n,2))
def w2(a,b):
    C = cdist(a,b,'sqeuclidean'); r,c = linear_sum_assignment(C); return np.sqrt(C[r,c].mean())
n=1000; K=8
acc={}
for rep in range(4):
    rng=np.random.default_rng(100+rep)
    tr=moons(n,rng); tests=[moons(n,rng) for _ in range(K)]
    fl=np.mean([w2(tr,t) for t in tests])
    def m(s): return np.mean([w2(s,t) for t in tests])/fl
    row={'truth':m(moons(n,rng)),'resample':m(tr[rng.integers(0,n,n)])}
    for h in [0.01,0.02,0.03,0.05]:
        row[f'kde{h}']=m(tr[rng.integers(0,n,n)]+h*rng.standard_normal((n,2)))
    print(f"floor {fl:.4f} "+" ".join(f"{k} {v:.2f}" for k,v in row.items()), flush=True)
