"""P3's training written in PyTorch (P3's code: OUPINN_loop.py, pinn_utils.pinn_loss, diffusion_utils.denoising_loss),
at a budget given on the command line, then P3's samplers; prints the escape fractions and the radial score along a
ray, the same quantities `pdediff experiment ode-sde-gap` reports. Evidence that what pdediff's trainer does at a small
budget is what P3's own training does at that budget (issue 10).

    /work/venv/bin/python bench/p3_train_torch.py W STEPS DSM_BATCH FP_BATCH N_SAMPLES

blob, fresh data draws each step, Adam stages at 25%/90% with a fresh optimiser per stage, loss exactly P3's
(torch.mean over n x d entries for DSM, mean R^2 of the log-density FP residual at uniform points of [1e-5, 10] x
[-3.5, 3.5]^2), float32.
"""
import math
import sys

import numpy as np
import torch
from torch import nn

torch.set_num_threads(1)
torch.manual_seed(0)
np.random.seed(0)
w_p, steps, nd, nx, ns = float(sys.argv[1]), int(sys.argv[2]), int(sys.argv[3]), int(sys.argv[4]), int(sys.argv[5])
CENTRES = 0.65 * torch.tensor([[2, -2], [-2, 2], [2, 2], [-2, -2], [0, 0], [4, 0], [-4, 0], [0, 4], [0, -4]], dtype=torch.float32)


class Net(nn.Module):  # P3's models.Net: 3 -> 80 -> 80 -> 80 -> 1, Softplus(100)
    def __init__(self):
        super().__init__()
        self.l = nn.ModuleList([nn.Linear(3, 80), nn.Linear(80, 80), nn.Linear(80, 80)])
        self.out = nn.Linear(80, 1)
        self.act = nn.Softplus(100)

    def forward_log(self, x, t):
        h = torch.cat([t, x], 1)
        for layer in self.l:
            h = self.act(layer(h))
        return self.out(h)

    def score(self, x, t, create_graph=True):
        x = x.requires_grad_() if not x.requires_grad else x
        phi = self.forward_log(x, t)
        return torch.autograd.grad(phi.sum(), x, create_graph=create_graph)[0]


def blob(n):
    k = torch.randint(0, 9, (n,))
    return CENTRES[k] + math.sqrt(0.65 ** 2 * 0.2) * torch.randn(n, 2)


def dsm(net):
    x0 = blob(nd)
    t = torch.tensor(np.random.beta(1, 2, [nd, 1]).astype(np.float32)) * 10 + 1e-5
    a = torch.exp(-t)
    var = 0.5 * (1 - torch.exp(-2 * t))
    xt = a * x0 + var.sqrt() * torch.randn(nd, 2)
    target = -(xt - a * x0) / var
    return torch.mean((net.score(xt, t) - target) ** 2)


def fp(net):
    t = (torch.rand(nx, 1) * (10 - 1e-5) + 1e-5).requires_grad_()
    x = ((torch.rand(nx, 2) * 2 - 1) * 3.5).requires_grad_()
    u = net.forward_log(x, t)
    ut = torch.autograd.grad(u.sum(), t, create_graph=True)[0]
    ux = torch.autograd.grad(u.sum(), x, create_graph=True)[0]
    lap = sum(torch.autograd.grad(ux[:, j].sum(), x, create_graph=True)[0][:, j:j + 1] for j in range(2))
    res = ut - 2 - (x * ux).sum(1, keepdim=True) - 0.5 * (ux ** 2).sum(1, keepdim=True) - 0.5 * lap
    return torch.mean(res ** 2)


net = Net()
stages = [(1e-3, steps // 4), (1e-4, int(0.9 * steps) - steps // 4), (1e-5, steps - int(0.9 * steps))]
for lr, k in stages:
    opt = torch.optim.Adam(net.parameters(), lr=lr)
    for _ in range(k):
        opt.zero_grad()
        loss = dsm(net) + (w_p * fp(net) if w_p > 0 else 0)
        loss.backward()
        opt.step()
print(f"w={w_p} steps={steps} dsm_batch={nd} fp_batch={nx}: final DSM {dsm(net).item():.4f}, FP mean R^2 {fp(net).item():.4g}")


def sample(sde, seed):
    g = torch.Generator().manual_seed(seed)
    x = torch.randn(ns, 2, generator=g) * math.sqrt(0.5)
    t = 10.0
    i = 0
    at = {}
    for dt, k in [(-0.0125, 790), (-0.00125, 100)]:
        for _ in range(k):
            s = net.score(x.clone(), torch.full((ns, 1), t), create_graph=False)
            if sde:
                noise = 0 if i == 889 else math.sqrt(-dt) * torch.randn(ns, 2, generator=g)
                x = (x + (-x - s) * dt + noise).detach()
            else:
                x = (x + (-x - 0.5 * s) * dt).detach()
            t += dt
            i += 1
            for rt in (8.0, 6.0, 4.0, 2.0):
                if abs(t - rt) < 1e-6:
                    at[rt] = (x.abs().max(1).values >= 3.5).float().mean().item()
    out = (x.abs().max(1).values >= 3.5).float().mean().item()
    return out, x.norm(dim=1).max().item(), at


for name, sde in (("ODE", False), ("SDE", True)):
    out, rmax, at = sample(sde, 1 if not sde else 2)
    print(f"  {name}: outside {out:.4f}, max radius {rmax:.3g}, outside at t=8/6/4/2: {[round(at.get(k, float('nan')), 4) for k in (8.0, 6.0, 4.0, 2.0)]}")
d = torch.tensor([math.cos(0.3), math.sin(0.3)])
rs = torch.tensor([1.0, 2, 3, 4, 6, 8])
pts = rs[:, None] * d[None, :]
print("  radial score t=5:", [round(v, 2) for v in (net.score(pts.clone(), torch.full((6, 1), 5.0), False) @ d).tolist()])
