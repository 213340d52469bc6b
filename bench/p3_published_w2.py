# W2^2 (exact OT, POT) between P3s published 64x64 histograms (precomputed_dists/, 3e6 samples per model) of teojd/ODESDEGap.
# Usage: python bench/p3_published_w2.py  (expects the histograms under /tmp/p3code/precomputed_dists; needs pot, scipy)
import numpy as np, ot
from scipy.spatial.distance import cdist
d='/tmp/p3code/precomputed_dists/'
g1,g2=np.meshgrid(np.linspace(-3.5,3.5,64),np.linspace(-3.5,3.5,64)); grid=np.hstack([g1.reshape(-1,1),g2.reshape(-1,1)])
M=cdist(grid,grid)**2
for ds in ['blob','circles2','checker']:
    tr=np.load(d+f'weights_truth_64_3000000_{ds}.npy')
    for w in ['0.0','0.1','1.0','10.0']:
        o=np.load(d+f'weights_ode_64_3000000_100000_800_{ds}_{w}.npy'); s=np.load(d+f'weights_sde_64_3000000_100000_800_{ds}_{w}.npy')
        e=lambda a,b: ot.emd2(a/a.sum(),b/b.sum(),M,numItermax=10000000)
        print(f"{ds} w={w}: W2sq(ODE,SDE)={e(o,s):.4g} W2sq(ODE,truth)={e(o,tr):.4g} W2sq(SDE,truth)={e(s,tr):.4g}",flush=True)
