"""P3's own trained networks (github.com/teojd/ODESDEGap, checkpoints/<set>/w<w>/..._iteration_100000): where their
ODE and SDE samples leave the box [-3.5, 3.5]^2, and their score along rays against the exact score.

This is the evidence for issue 10's "real cause": the same measurements the experiment makes on pdediff's models
(escape fraction, largest radius, the time a sample first leaves the box, the radial score s(x, t).x/|x| along a ray
against the exact blob score), made on the networks the paper published. Usage:

    /work/venv/bin/python bench/p3_checkpoints.py P3_REPO_DIR [n_samples]

P3_REPO_DIR must hold models.py and checkpoints/ of P3's repository (e.g. extracted from the `fetch` mirror with
`git show`). Samplers are P3's (diffusion_utils.simulate_rode / simulate_rsde): 790 Euler steps of 0.0125 from
t = 10, then 100 of 0.00125, the SDE's last step noiseless; prior N(0, I/2); float32 as in P3.
"""
import math
import sys

import numpy as np
import torch

torch.set_num_threads(1)
repo = sys.argv[1]
n = int(sys.argv[2]) if len(sys.argv) > 2 else 10000
sys.path.insert(0, repo)
import types  # noqa: E402
sys.modules.setdefault('tqdm', types.ModuleType('tqdm'))  # models.py imports tqdm without using it
import models  # noqa: E402,F401  (P3's Net class, needed to unpickle the checkpoints)

BOX = 3.5
# blob: 9 Gaussians, centres 0.65*{(+-2,+-2),(0,0),(+-4,0),(0,+-4)}, covariance 0.65^2*0.2 = 0.0845 I
CENTRES = 0.65 * np.array([[2, -2], [-2, 2], [2, 2], [-2, -2], [0, 0], [4, 0], [-4, 0], [0, 4], [0, -4]], float)
VAR0 = 0.65 ** 2 * 0.2


def exact_blob_score(x, t):
    """M11 for the blob under ou theta = 1, g = 1: component k at t is N(a mu_k, (a^2 v0 + s2) I)."""
    a = math.exp(-t)
    v = a * a * VAR0 + 0.5 * (1 - math.exp(-2 * t))
    d = x[:, None, :] - a * CENTRES[None, :, :]
    logw = -0.5 * (d ** 2).sum(-1) / v
    logw -= logw.max(1, keepdims=True)
    w = np.exp(logw)
    w /= w.sum(1, keepdims=True)
    return -(w[:, :, None] * d).sum(1) / v


def score(net, x, t):
    x = x.clone().requires_grad_()
    tt = torch.full((x.shape[0], 1), float(t))
    phi = net.forward_log(x, tt)
    return torch.autograd.grad(phi.sum(), x)[0]


def sample(net, n, sde, seed):
    """P3's Euler / Euler-Maruyama with per-sample exit bookkeeping (first time |x|_inf >= 3.5)."""
    g = torch.Generator().manual_seed(seed)
    x = torch.randn(n, 2, generator=g) * math.sqrt(0.5)
    exit_t = torch.full((n,), float('nan'))
    t = 10.0
    steps = [(-0.0125, 790), (-0.00125, 100)]
    last = sum(k for _, k in steps) - 1
    i = 0
    for dt, k in steps:
        for _ in range(k):
            s = score(net, x, t)
            if sde:
                noise = 0 if i == last else math.sqrt(-dt) * torch.randn(n, 2, generator=g)
                x = (x + (-x - s) * dt + noise).detach()
            else:
                x = (x + (-x - 0.5 * s) * dt).detach()
            t += dt
            i += 1
            out = (x.abs().max(1).values >= BOX) & torch.isnan(exit_t)
            exit_t[out] = t
    return x.numpy(), exit_t.numpy()


def report(name, x, exit_t):
    r = np.sqrt((x ** 2).sum(1))
    out = np.abs(x).max(1) >= BOX
    left = ~np.isnan(exit_t)
    q = np.quantile(exit_t[left], [0.1, 0.5, 0.9]) if left.any() else [float('nan')] * 3
    print(f"  {name}: outside at the end {out.mean():.4f}; ever left {left.mean():.4f}; max radius {r.max():.3g}; "
          f"radius q99 {np.quantile(r, 0.99):.3g}; exit time q10/50/90 {q[0]:.3g}/{q[1]:.3g}/{q[2]:.3g}")


def main():
    for ds in ['blob', 'circles2', 'checker']:
        for w in ['0.0', '0.1', '1.0', '10.0']:
            path = f"{repo}/checkpoints/{ds}/w{w}/{ds}_net__FP_weight_{w}__iteration_100000"
            net = torch.load(path, map_location='cpu', weights_only=False)
            net.eval()
            print(f"{ds} w={w}")
            xo, eo = sample(net, n, False, 1)
            report("ODE", xo, eo)
            xs, es = sample(net, n, True, 2)
            report("SDE", xs, es)
            if ds == 'blob':
                for t in [2.0, 5.0, 8.0]:
                    rs = np.array([1.0, 2.0, 3.0, 4.0, 6.0, 8.0])
                    dirn = np.array([math.cos(0.3), math.sin(0.3)])
                    pts = rs[:, None] * dirn[None, :]
                    learned = score(net, torch.tensor(pts, dtype=torch.float32), t).numpy() @ dirn
                    exact = exact_blob_score(pts, t) @ dirn
                    print(f"  ray t={t}: r={rs.tolist()} learned s.x^={np.round(learned, 2).tolist()} "
                          f"exact={np.round(exact, 2).tolist()}")


if __name__ == '__main__':
    main()
