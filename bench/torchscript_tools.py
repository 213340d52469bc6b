#!/usr/bin/env python3
"""Helpers of bench/torchscript_bench.sh (needs torch and numpy).

  export PDM OUT.pt          re-implements a pdediff model file (vp only) as a float64 TorchScript module with the
                             same arithmetic: preconditioning, Fourier time embedding, MLP (time convention t; output
                             noise, score or potential as the model's parameterisation).
  train OUT.pt POINTS.csv    trains a float64 SiLU MLP score on two moons in PyTorch (DSM, vp), exports it with
                             torch.jit.script, and writes 64 evaluation points with their times to POINTS.csv.
  reference OUT.pt POINTS.csv  prints, as JSON, the score-FP residual (M5) and divergence of the network at the points
                             by PyTorch autograd (the same formulas as src/test/resources/torchscript/make_fixtures.py).
"""
import json
import math
import struct
import sys

import numpy as np
import torch
import torch.nn as nn

F64 = torch.float64
BMIN, BMAX = 0.1, 20.0


def vp(t, bmin=BMIN, bmax=BMAX):
    b_int = t * bmin + 0.5 * t * t * (bmax - bmin)
    beta = bmin + t * (bmax - bmin)
    return torch.exp(-0.5 * b_int), -torch.expm1(-b_int), 0.5 * beta, beta


class PdmNet(nn.Module):
    """pdediff's MLP (train/Architecture, MlpGraph) for vp, as TorchScript."""

    def __init__(self, header, weights):
        super().__init__()
        a = header["architecture"]
        if a.get("time_input", "log-sigma") != "log-sigma" or a.get("input_scaling", "preconditioned") != "preconditioned":
            raise SystemExit("export: only the default --time-input log-sigma and --input-scaling preconditioned")
        if a.get("skip", "none") != "none":
            raise SystemExit("export: models trained with --skip " + a["skip"] + " are not supported (only --skip none)")
        self.depth = a["depth"]
        self.fourier = a["fourier"]
        self.silu = a["activation"] == "silu"
        self.beta_sp = float(a["softplus_beta"])
        self.param = a["parameterisation"]
        spec = dict(kv.split("=") for kv in header["sde"].split(":", 1)[1].split(","))
        if not header["sde"].startswith("vp"):
            raise SystemExit("export: only vp models are supported by this script")
        self.bmin, self.bmax = float(spec["bmin"]), float(spec["bmax"])
        self.register_buffer("mean", torch.tensor(header["preconditioning"]["mean"], dtype=F64))
        self.var = float(header["preconditioning"]["variance"])
        self.W = nn.ParameterList([nn.Parameter(weights[f"W{l}"], requires_grad=False) for l in range(1, self.depth)])
        self.B = nn.ParameterList([nn.Parameter(weights[f"b{l}"], requires_grad=False) for l in range(1, self.depth)])
        self.W0x = nn.Parameter(weights["W0x"], requires_grad=False)
        self.W0t = nn.Parameter(weights["W0t"], requires_grad=False)
        self.b0 = nn.Parameter(weights["b0"], requires_grad=False)
        self.Wout = nn.Parameter(weights["Wout"], requires_grad=False)
        self.bout = nn.Parameter(weights["bout"], requires_grad=False)

    def act(self, z):
        if self.silu:
            return z * torch.sigmoid(torch.clamp(z, -80.0, 80.0))
        b = self.beta_sp
        return torch.clamp(z, min=0.0) + torch.log(torch.exp(torch.clamp(-b * torch.abs(z), -80.0, 0.0)) + 1) / b

    def forward(self, x, t):
        b_int = t * self.bmin + 0.5 * t * t * (self.bmax - self.bmin)
        alpha = torch.exp(-0.5 * b_int).unsqueeze(1)
        s2 = (-torch.expm1(-b_int)).unsqueeze(1)
        cin = 1 / torch.sqrt(alpha * alpha * self.var + s2)
        u = cin * (x - alpha * self.mean)
        nu = 0.5 * torch.log(s2)
        feats = [nu / 4]
        for k in range(self.fourier):
            w = 2.0 ** (k - 2)
            feats.append(torch.sin(w * nu))
            feats.append(torch.cos(w * nu))
        e = torch.cat(feats, 1)
        h = self.act(u @ self.W0x + e @ self.W0t + self.b0)
        for w, b in zip(self.W, self.B):
            h = self.act(h @ w + b)
        out = h @ self.Wout + self.bout
        if self.param == "score":
            return cin * out
        if self.param == "potential":
            return out.squeeze(1)
        return out  # noise: the network is the epsilon-prediction, s = -eps/sigma


def read_pdm(path):
    raw = open(path, "rb").read()
    assert raw[:8] == b"PDMODEL1", "not a pdediff model"
    hlen = struct.unpack("<I", raw[8:12])[0]
    header = json.loads(raw[12:12 + hlen])
    payload = raw[12 + hlen:]
    dt = np.float32 if header["dtype"] == "float32" else np.float64
    weights = {}
    for t in header["tensors"]:
        vec, name = t["name"].split("/")
        if vec != "weights":
            continue
        a = np.frombuffer(payload, dtype=dt, count=t["count"], offset=t["offset"]).astype(np.float64)
        weights[name] = torch.tensor(a.reshape(t["shape"]), dtype=F64)
    return header, weights


def moons(n, g):
    """Two interleaved half circles with noise 0.05 (the usual toy set)."""
    k = torch.randint(0, 2, (n,), generator=g)
    a = torch.rand(n, generator=g, dtype=F64) * math.pi
    x = torch.stack([torch.cos(a), torch.sin(a)], 1)
    x = torch.where(k[:, None] == 0, x, torch.stack([1 - torch.cos(a), 0.5 - torch.sin(a)], 1))
    return x + 0.05 * torch.randn(n, 2, generator=g, dtype=F64)


class Mlp(nn.Module):
    """A score network as PyTorch users write it: s(x, t) from [x, log sigma(t)] (time convention t, vp inside)."""

    def __init__(self, width=64):
        super().__init__()
        self.net = nn.Sequential(nn.Linear(3, width), nn.SiLU(), nn.Linear(width, width), nn.SiLU(),
                                 nn.Linear(width, 2))

    def forward(self, x, t):
        b_int = t * 0.1 + 0.5 * t * t * (20.0 - 0.1)
        s2 = -torch.expm1(-b_int)
        h = torch.cat([x, 0.5 * torch.log(s2).unsqueeze(1)], 1)
        return self.net(h) / torch.sqrt(s2).unsqueeze(1)


def train(out, points_csv, steps=1500):
    torch.manual_seed(0)
    g = torch.Generator().manual_seed(0)
    data = moons(4000, g)
    model = Mlp().double()
    opt = torch.optim.Adam(model.parameters(), lr=2e-3)
    for step in range(steps):
        x0 = data[torch.randint(0, len(data), (256,), generator=g)]
        t = 1e-3 + (1 - 1e-3) * torch.rand(256, generator=g, dtype=F64)
        alpha, s2, _, _ = vp(t)
        z = torch.randn(256, 2, generator=g, dtype=F64)
        xt = alpha[:, None] * x0 + torch.sqrt(s2)[:, None] * z
        # DSM with sigma^2 weighting: |sigma s + z|^2
        loss = ((torch.sqrt(s2)[:, None] * model(xt, t) + z) ** 2).sum(1).mean()
        opt.zero_grad()
        loss.backward()
        opt.step()
    model.eval()
    torch.jit.script(model).save(out)
    x0 = data[:64]
    t = torch.linspace(0.02, 0.9, 64, dtype=F64)
    alpha, s2, _, _ = vp(t)
    xt = alpha[:, None] * x0 + torch.sqrt(s2)[:, None] * torch.randn(64, 2, generator=g, dtype=F64)
    with open(points_csv, "w") as f:
        f.write("x1,x2,t\n")
        for p, tt in zip(xt.tolist(), t.tolist()):
            f.write(f"{p[0]!r},{p[1]!r},{tt!r}\n")
    print(json.dumps({"final_loss": loss.item()}))


def reference(pt, points_csv):
    m = torch.jit.load(pt)
    rows = np.loadtxt(points_csv, delimiter=",", skiprows=1)
    x = torch.tensor(rows[:, :2], dtype=F64).requires_grad_(True)
    t = torch.tensor(rows[:, 2], dtype=F64).requires_grad_(True)
    s = m(x, t)
    J = torch.stack([torch.autograd.grad(s[:, a].sum(), x, create_graph=True)[0] for a in range(2)], 1)
    div = J[:, 0, 0] + J[:, 1, 1]
    graddiv = torch.autograd.grad(div.sum(), x, retain_graph=True)[0]
    dts = torch.stack([torch.autograd.grad(s[:, a].sum(), t, retain_graph=True)[0] for a in range(2)], 1)
    _, _, a, g2 = vp(t.detach())
    sd, Jd, xd = s.detach(), J.detach(), x.detach()
    r = dts - (0.5 * g2[:, None] * graddiv + g2[:, None] * torch.einsum("iab,ia->ib", Jd, sd)
               + a[:, None] * (sd + torch.einsum("iab,ia->ib", Jd, xd)))
    print(json.dumps({"fp_residual": r.tolist(), "divergence": div.detach().tolist()}))


if __name__ == "__main__":
    cmd = sys.argv[1]
    if cmd == "export":
        h, w = read_pdm(sys.argv[2])
        net = PdmNet(h, w).eval()
        d = h["architecture"]["dim"]
        # traced: the Python control flow depends only on constants of the architecture
        torch.jit.trace(net, (torch.zeros(4, d, dtype=F64), torch.full((4,), 0.5, dtype=F64))).save(sys.argv[3])
    elif cmd == "train":
        train(sys.argv[2], sys.argv[3])
    elif cmd == "reference":
        reference(sys.argv[2], sys.argv[3])
    else:
        raise SystemExit(__doc__)
