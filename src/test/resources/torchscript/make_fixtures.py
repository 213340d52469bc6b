#!/usr/bin/env python3
"""Makes the TorchScript fixtures of the `--score torchscript:PATH` tests and their reference values.

Run from the repository root (needs torch; CI does not run it, the outputs are committed):

    python src/test/resources/torchscript/make_fixtures.py

Writes into src/test/resources/torchscript/:
  gauss_<output>_<time>.pt  the exact score of N(mean*1, std^2 I) in d = 2 under vp (bmin 0.1, bmax 20), closed form,
                            in every output convention (score, noise, potential) and time convention (t, sigma,
                            log_sigma) of the contract; float64, scripted.
  mlp2.pt                   a random SiLU MLP score in d = 2 with a Dropout layer (eval mode must be restored),
                            float64, scripted.
  potential2.pt             a random softplus potential network phi(x, t) in d = 2 returning [n], float64, traced.
  conv8.pt                  a tiny conv network on 8x8 images (d = 64) with 1->1 convolutions, float32, scripted.
  wide3.pt                  returns [n, d + 1] for d = 2 inputs (output shape contract violation).
  broken.pt                 fails in forward for d = 2 inputs (a 3x3 matrix product).
  reference.json            inputs, outputs, VJPs, divergences, Jacobians and score-FP residuals (M5) of mlp2,
                            potential2 and conv8 from PyTorch autograd (the tests compare against these).
"""
import json
import math
import os

import torch
import torch.nn as nn

HERE = os.path.dirname(os.path.abspath(__file__))
BMIN, BMAX = 0.1, 20.0
MEAN, STD = 0.5, 0.8
F64 = torch.float64


def vp(t):
    """alpha(t), sigma(t)^2, drift rate a(t), g(t)^2 of vp (MATH.md M1)."""
    b_int = t * BMIN + 0.5 * t * t * (BMAX - BMIN)
    beta = BMIN + t * (BMAX - BMIN)
    return torch.exp(-0.5 * b_int), -torch.expm1(-b_int), 0.5 * beta, beta


class Gauss(nn.Module):
    """Exact score of N(MEAN*1, STD^2 I) under vp: s = -(x - alpha*mu)/(alpha^2 std^2 + sigma^2) (MATH.md M11)."""

    def __init__(self, output: str, time: str):
        super().__init__()
        self.output = output
        self.time = time
        # parameters (frozen) so that the dtype is read from the weights
        self.mean = nn.Parameter(torch.full((2,), MEAN, dtype=F64), requires_grad=False)
        self.var = nn.Parameter(torch.tensor(STD * STD, dtype=F64), requires_grad=False)
        self.bmin = BMIN
        self.bmax = BMAX

    def forward(self, x: torch.Tensor, t: torch.Tensor) -> torch.Tensor:
        if self.time == "t":
            b_int = t * self.bmin + 0.5 * t * t * (self.bmax - self.bmin)
            alpha = torch.exp(-0.5 * b_int)
            s2 = -torch.expm1(-b_int)
        elif self.time == "sigma":
            s2 = t * t
            alpha = torch.sqrt(1 - s2)
        else:
            s2 = torch.exp(2 * t)
            alpha = torch.sqrt(1 - s2)
        alpha = alpha.unsqueeze(1)
        s2 = s2.unsqueeze(1)
        v = alpha * alpha * self.var + s2
        m = alpha * self.mean
        if self.output == "score":
            return -(x - m) / v
        if self.output == "noise":
            return torch.sqrt(s2) * (x - m) / v
        return -0.5 * ((x - m) ** 2 / v).sum(1)


class Mlp(nn.Module):
    def __init__(self, d=2, width=32):
        super().__init__()
        self.l1 = nn.Linear(d + 1, width)
        self.l2 = nn.Linear(width, width)
        self.drop = nn.Dropout(0.5)
        self.l3 = nn.Linear(width, d)

    def forward(self, x: torch.Tensor, t: torch.Tensor) -> torch.Tensor:
        h = torch.cat([x, t.unsqueeze(1)], 1)
        h = nn.functional.silu(self.l1(h))
        h = self.drop(nn.functional.silu(self.l2(h)))
        return self.l3(h)


class Potential(nn.Module):
    def __init__(self, d=2, width=32):
        super().__init__()
        self.net = nn.Sequential(nn.Linear(d + 1, width), nn.Softplus(), nn.Linear(width, width), nn.Softplus(),
                                 nn.Linear(width, 1))

    def forward(self, x, t):
        return self.net(torch.cat([x, t.unsqueeze(1)], 1)).squeeze(1) - 0.5 * (x * x).sum(1)


class Conv(nn.Module):
    """Two 1->1 3x3 convolutions on 8x8 images with a time scale: the shapes of the oneDNN defect."""

    def __init__(self):
        super().__init__()
        self.c1 = nn.Conv2d(1, 1, 3, padding=1)
        self.c2 = nn.Conv2d(1, 1, 3, padding=1)
        self.tw = nn.Linear(1, 1)

    def forward(self, x: torch.Tensor, t: torch.Tensor) -> torch.Tensor:
        n = x.shape[0]
        h = torch.tanh(self.c1(x.view(n, 1, 8, 8)) * (1 + self.tw(t.view(n, 1))).view(n, 1, 1, 1))
        return (self.c2(h).view(n, 64) - x) * 0.5


class Wide(nn.Module):
    def forward(self, x: torch.Tensor, t: torch.Tensor) -> torch.Tensor:
        return torch.cat([x, t.unsqueeze(1)], 1)


class Broken(nn.Module):
    def __init__(self):
        super().__init__()
        self.w = nn.Parameter(torch.eye(3, dtype=F64))

    def forward(self, x: torch.Tensor, t: torch.Tensor) -> torch.Tensor:
        return x @ self.w


def score_of(model, output, x, t):
    """s(x, t) with the graph kept (create_graph) so that it can be differentiated again."""
    if output == "potential":
        x = x if x.requires_grad else x.requires_grad_(True)
        phi = model(x, t)
        return torch.autograd.grad(phi.sum(), x, create_graph=True)[0]
    return model(x, t)


def jacobian(model, output, x, t):
    """J[i, a, b] = d s_a / d x_b at each point, by autograd."""
    x = x.detach().requires_grad_(True)
    s = score_of(model, output, x, t)
    rows = [torch.autograd.grad(s[:, a].sum(), x, create_graph=True)[0] for a in range(x.shape[1])]
    return torch.stack(rows, 1), s, x


def fp_residual(model, output, x, t):
    """Score-FP residual (M5) of vp: r = d_t s - [1/2 g^2 grad(div s) + g^2 J^T s + a (s + J^T x)], all autograd."""
    x = x.detach().requires_grad_(True)
    t = t.detach().requires_grad_(True)
    s = score_of(model, output, x, t)
    d = x.shape[1]
    jrows = [torch.autograd.grad(s[:, a].sum(), x, create_graph=True)[0] for a in range(d)]
    J = torch.stack(jrows, 1)
    div = sum(J[:, a, a] for a in range(d))
    graddiv = torch.autograd.grad(div.sum(), x, retain_graph=True)[0]
    dts = torch.stack([torch.autograd.grad(s[:, a].sum(), t, retain_graph=True)[0] for a in range(d)], 1)
    _, _, a, g2 = vp(t.detach())
    a = a.unsqueeze(1)
    g2 = g2.unsqueeze(1)
    sd = s.detach()
    Jd = J.detach()
    jts = torch.einsum("iab,ia->ib", Jd, sd)
    jtx = torch.einsum("iab,ia->ib", Jd, x.detach())
    return dts - (0.5 * g2 * graddiv + g2 * jts + a * (sd + jtx))


def ref_entry(model, output, x, t, v):
    """Reference values of one fixture: score, VJP v^T J, divergence, Jacobian (d <= 2) and FP residual."""
    J, s, _ = jacobian(model, output, x, t)
    vjp = torch.einsum("ia,iab->ib", v, J)
    div = torch.diagonal(J, dim1=1, dim2=2).sum(1)
    e = {"x": x.tolist(), "t": t.tolist(), "v": v.tolist(), "score": s.detach().tolist(), "vjp": vjp.detach().tolist(),
         "divergence": div.detach().tolist()}
    if x.shape[1] <= 2:
        e["jacobian"] = J.detach().tolist()
        e["fp_residual"] = fp_residual(model, output, x, t).tolist()
    return e


def main():
    torch.manual_seed(20261201)
    for output in ("score", "noise", "potential"):
        for time in ("t", "sigma", "log_sigma"):
            torch.jit.script(Gauss(output, time)).save(os.path.join(HERE, f"gauss_{output}_{time}.pt"))

    mlp = Mlp().double().eval()
    torch.jit.script(mlp).save(os.path.join(HERE, "mlp2.pt"))
    pot = Potential().double().eval()
    xs = torch.randn(4, 2, dtype=F64)
    ts = torch.rand(4, dtype=F64)
    torch.jit.trace(pot, (xs, ts)).save(os.path.join(HERE, "potential2.pt"))
    conv = Conv().eval()
    torch.jit.script(conv).save(os.path.join(HERE, "conv8.pt"))
    torch.jit.script(Wide()).save(os.path.join(HERE, "wide3.pt"))
    torch.jit.script(Broken()).save(os.path.join(HERE, "broken.pt"))

    ref = {"sde": f"vp:bmin={BMIN},bmax={BMAX}", "torch": torch.__version__}
    x = torch.tensor([[0.3, -0.7], [1.2, 0.4], [-0.5, -1.1], [0.05, 0.9], [2.0, -0.3]], dtype=F64)
    t = torch.tensor([0.05, 0.2, 0.5, 0.8, 0.35], dtype=F64)
    v = torch.tensor([[1.0, -0.5], [0.3, 0.7], [-1.2, 0.2], [0.6, 0.6], [0.1, -0.9]], dtype=F64)
    ref["mlp2"] = ref_entry(mlp, "score", x, t, v)
    ref["potential2"] = ref_entry(pot, "potential", x, t, v)
    xc = torch.randn(3, 64)
    tc = torch.tensor([0.1, 0.4, 0.9])
    vc = torch.randn(3, 64)
    ref["conv8"] = ref_entry(conv, "score", xc, tc, vc)
    with open(os.path.join(HERE, "reference.json"), "w") as f:
        json.dump(ref, f, indent=1)
        f.write("\n")
    print(json.dumps({k: (v if not isinstance(v, dict) else {kk: vv for kk, vv in v.items()
                                                             if kk in ("divergence", "fp_residual")})
                      for k, v in ref.items()}, indent=1))


if __name__ == "__main__":
    main()
