"""P3's own samplers (PyTorch, float32, as diffusion_utils.simulate_rode / simulate_rsde: 790 Euler(-Maruyama) steps
of 0.0125 from t = 10, then 100 of 0.00125, the SDE's last step noiseless; prior N(0, I/2)) on P3's networks, written in
P3CrossCheck's sample format (big-endian int n, then n x 2 doubles) so that `P3CrossCheck compare` can put them
against P3's published histograms exactly as it does pdediff's samples: the null reference for part B at the same n.

    p3_crosscheck_torch_samples.py P3_REPO SET N SEED OUT_DIR      (SET: blob, circles or checker; all four weights)
"""
import math
import struct
import sys
import types

import numpy as np
import torch

torch.set_num_threads(2)
repo, ours, n, seed, out = sys.argv[1], sys.argv[2], int(sys.argv[3]), int(sys.argv[4]), sys.argv[5]
p3 = {'blob': 'blob', 'circles': 'circles2', 'checker': 'checker'}[ours]
sys.path.insert(0, repo)
sys.modules.setdefault('tqdm', types.ModuleType('tqdm'))
import models  # noqa: E402,F401


def score(net, x, t):
    x = x.clone().requires_grad_()
    phi = net.forward_log(x, torch.full((x.shape[0], 1), float(t)))
    return torch.autograd.grad(phi.sum(), x)[0]


def sample(net, sde, g):
    x = torch.randn(n, 2, generator=g) * math.sqrt(0.5)
    t = 10.0
    i = 0
    for dt, k in [(-0.0125, 790), (-0.00125, 100)]:
        for _ in range(k):
            s = score(net, x, t)
            if sde:
                noise = 0 if i == 889 else math.sqrt(-dt) * torch.randn(n, 2, generator=g)
                x = (x + (-x - s) * dt + noise).detach()
            else:
                x = (x + (-x - 0.5 * s) * dt).detach()
            t += dt
            i += 1
    return x.double().numpy()


def write(path, x):
    with open(path, 'wb') as f:
        f.write(struct.pack('>i', x.shape[0]))
        f.write(x.astype('>f8').tobytes())


for w in ['0.0', '0.1', '1.0', '10.0']:
    net = torch.load(f"{repo}/checkpoints/{p3}/w{w}/{p3}_net__FP_weight_{w}__iteration_100000", map_location='cpu',
                     weights_only=False)
    g = torch.Generator().manual_seed(seed)
    for kind, sde in (('ode', False), ('sde', True)):
        write(f"{out}/{ours}_w{w}.{kind}.bin", sample(net, sde, g))
    print(f"torch samples {ours} w={w}: n = {n}", flush=True)
