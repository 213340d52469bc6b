#!/usr/bin/env python3
"""PyTorch side of bench/train_bench.sh: ms per training step of the same networks and losses as `pdediff train`.

(a) plain DSM, noise parameterisation, MLP 3x128 SiLU on [u, e(t)] (d = 2, 6 Fourier frequencies: 15 inputs), VP SDE,
    sigma^2-weighted loss, Adam + global-norm clipping + EMA, batch 512 and 4096;
(b) the FP-regularised potential network 3x80 Softplus(beta = 100): DSM on grad_x phi at 2000 points plus the
    log-density residual M4 (grad, Laplacian, d/dt by autograd with create_graph) at 2000 uniform collocation points.
Eager PyTorch, float32, one thread (torch.set_num_threads(1)), as a user would write it. Denormals are flushed
(torch.set_flush_denormal(True)): without it Softplus(beta = 100) makes PyTorch 5x slower, and a fair peer gets
the faster setting.
Prints one JSON object: {"dsm512": ms, "dsm4096": ms, "fp": ms}.
"""
import json
import math
import sys
import time

import torch

torch.set_num_threads(1)
torch.set_flush_denormal(True)
torch.manual_seed(0)
D = 2
FOURIER = 6
BETA_MIN, BETA_MAX = 0.1, 20.0


def vp(t):
    b = BETA_MIN * t + 0.5 * (BETA_MAX - BETA_MIN) * t * t
    alpha = torch.exp(-0.5 * b)
    s2 = -torch.expm1(-b)
    return alpha, s2


def embed(nu):
    feats = [nu / 4]
    for k in range(FOURIER):
        w = 2.0 ** (k - 2)
        feats += [torch.sin(w * nu), torch.cos(w * nu)]
    return torch.stack(feats, dim=1)


def mlp(inp, width, depth, out, act):
    layers, k = [], inp
    for _ in range(depth):
        layers += [torch.nn.Linear(k, width), act]
        k = width
    layers.append(torch.nn.Linear(k, out))
    return torch.nn.Sequential(*layers)


def moons(n, g):
    t = torch.rand(n, generator=g) * math.pi
    half = n // 2
    x = torch.stack([torch.cos(t), torch.sin(t)], 1)
    x[half:] = torch.stack([1 - torch.cos(t[half:]), 0.5 - torch.sin(t[half:])], 1)
    return x + 0.05 * torch.randn(n, 2, generator=g)


class Trainer:
    def __init__(self, net):
        self.net = net
        self.opt = torch.optim.Adam(net.parameters(), lr=1e-3)
        self.ema = [p.detach().clone() for p in net.parameters()]

    def step(self, loss):
        self.opt.zero_grad(set_to_none=True)
        loss.backward()
        torch.nn.utils.clip_grad_norm_(self.net.parameters(), 1.0)
        self.opt.step()
        with torch.no_grad():
            for e, p in zip(self.ema, self.net.parameters()):
                e.mul_(0.999).add_(p, alpha=0.001)


def dsm_bench(batch, steps, warm):
    g = torch.Generator().manual_seed(1)
    data = moons(4000, g)
    mu, var = data.mean(0), data.var(0).mean()
    net = mlp(D + 2 * FOURIER + 1, 128, 3, D, torch.nn.SiLU())
    tr = Trainer(net)

    def one():
        x0 = data[torch.randint(0, data.shape[0], (batch,))]
        t = 1e-5 + (1 - 1e-5) * torch.rand(batch)
        alpha, s2 = vp(t)
        sig = s2.sqrt()
        eps = torch.randn(batch, D)
        xt = alpha[:, None] * x0 + sig[:, None] * eps
        cin = 1 / torch.sqrt(alpha ** 2 * var + s2)
        u = cin[:, None] * (xt - alpha[:, None] * mu)
        out = net(torch.cat([u, embed(0.5 * torch.log(s2))], 1))
        s = -out / sig[:, None]
        loss = ((sig[:, None] * s + eps) ** 2).sum(1).mean()
        tr.step(loss)

    for _ in range(warm):
        one()
    t0 = time.perf_counter()
    for _ in range(steps):
        one()
    return (time.perf_counter() - t0) / steps * 1e3


def fp_bench(n_dsm, n_fp, steps, warm):
    g = torch.Generator().manual_seed(2)
    data = moons(4000, g)
    mu, var = data.mean(0), data.var(0).mean()
    net = mlp(D + 2 * FOURIER + 1, 80, 3, 1, torch.nn.Softplus(beta=100))
    tr = Trainer(net)
    T = 10.0

    def ou(t):  # dX = -X dt + dW: alpha = e^{-t}, sigma^2 = (1 - e^{-2t})/2, a = 1, g^2 = 1
        return torch.exp(-t), -0.5 * torch.expm1(-2 * t)

    def phi(x, t):
        alpha, s2 = ou(t)
        cin = 1 / torch.sqrt(alpha ** 2 * var + s2)
        u = cin[:, None] * (x - alpha[:, None] * mu)
        return net(torch.cat([u, embed(0.5 * torch.log(s2))], 1)).squeeze(1)

    def one():
        x0 = data[torch.randint(0, data.shape[0], (n_dsm,))]
        t = 1e-5 + (T - 1e-5) * (1 - (1 - torch.rand(n_dsm)).sqrt())  # Beta(1, 2)
        alpha, s2 = ou(t)
        sig = s2.sqrt()
        eps = torch.randn(n_dsm, D)
        xt = (alpha[:, None] * x0 + sig[:, None] * eps).requires_grad_(True)
        s = torch.autograd.grad(phi(xt, t).sum(), xt, create_graph=True)[0]
        dsm = ((sig[:, None] * s + eps) ** 2).sum(1).mean()
        xc = ((torch.rand(n_fp, D) * 7) - 3.5).requires_grad_(True)
        tc = (1e-5 + (T - 1e-5) * torch.rand(n_fp)).requires_grad_(True)
        q = phi(xc, tc)
        gx, gt = torch.autograd.grad(q.sum(), [xc, tc], create_graph=True)
        lap = sum(torch.autograd.grad(gx[:, k].sum(), xc, create_graph=True)[0][:, k] for k in range(D))
        # M4 with a = 1, g^2 = 1: r = dq/dt - [d + x.grad q + 0.5 (lap q + |grad q|^2)]
        r = gt - (D + (xc * gx).sum(1) + 0.5 * (lap + (gx ** 2).sum(1)))
        tr.step(dsm + (r ** 2).mean())

    for _ in range(warm):
        one()
    t0 = time.perf_counter()
    for _ in range(steps):
        one()
    return (time.perf_counter() - t0) / steps * 1e3


if __name__ == "__main__":
    quick = len(sys.argv) > 1 and sys.argv[1] == "--quick"
    res = {
        "dsm512": dsm_bench(512, 100 if quick else 600, 50),
        "dsm4096": dsm_bench(4096, 30 if quick else 150, 10),
        "fp": fp_bench(2000, 2000, 10 if quick else 40, 5),
        "torch": torch.__version__,
        "threads": torch.get_num_threads(),
    }
    print(json.dumps(res))
