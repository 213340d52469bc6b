"""Peer of `pdediff likelihood` for bench/likelihood_bench.sh: the probability-flow likelihood of a pdediff MLP checkpoint
(vp SDE, noise parameterisation) written the way a PyTorch user would write it, after score_sde's likelihood.py:
SciPy's solve_ivp(RK45) on the flattened batch [x, logp] (RMS error norm over the batch), the network in PyTorch
float64, the exact divergence by autograd (one backward per dimension). Prints one JSON line.

Usage: likelihood_bench.py MODEL.pdm POINTS.csv EPS RTOL ATOL THREADS
"""
import json
import struct
import sys
import time

import numpy as np
import torch
from scipy.integrate import solve_ivp


def load(path):
    b = open(path, "rb").read()
    assert b[:8] == b"PDMODEL1", "not a pdediff model"
    h_len = struct.unpack("<I", b[8:12])[0]
    h = json.loads(b[12:12 + h_len])
    payload = b[12 + h_len:]
    dt = np.float32 if h["dtype"] == "float32" else np.float64
    w = {}
    for t in h["tensors"]:
        if t["name"].startswith("weights/"):
            a = np.frombuffer(payload, dtype=dt, count=t["count"], offset=t["offset"]).reshape(t["shape"])
            w[t["name"][8:]] = torch.tensor(a.astype(np.float64))
    return h, w


def main():
    model, points, eps, rtol, atol, threads = sys.argv[1], sys.argv[2], float(sys.argv[3]), float(sys.argv[4]), \
        float(sys.argv[5]), int(sys.argv[6])
    torch.set_num_threads(threads)
    h, w = load(model)
    arch = h["architecture"]
    assert arch["parameterisation"] == "noise" and arch["activation"] == "silu", "bench peer supports noise/silu"
    assert arch.get("skip", "none") == "none", "bench peer supports --skip none only"
    sde = dict(kv.split("=") for kv in h["sde"].split(":")[1].split(","))
    assert h["sde"].startswith("vp:")
    b0, b1, T = float(sde["bmin"]), float(sde["bmax"]), float(sde["T"])
    mu = torch.tensor(h["preconditioning"]["mean"], dtype=torch.float64)
    var = float(h["preconditioning"]["variance"])
    depth, fourier = arch["depth"], arch["fourier"]
    x0 = np.loadtxt(points, delimiter=",", skiprows=1)
    n, d = x0.shape

    def integrated_beta(t):
        return 0.5 * t * t * (b1 - b0) + t * b0

    def score(x, t):
        ib = integrated_beta(t)
        a = np.exp(-0.5 * ib)
        s2 = -np.expm1(-ib)
        cin = 1 / np.sqrt(a * a * var + s2)
        nu = 0.5 * np.log(s2)
        emb = [nu / 4]
        for k in range(fourier):
            emb += [np.sin(2.0 ** (k - 2) * nu), np.cos(2.0 ** (k - 2) * nu)]
        temb = torch.tensor(emb, dtype=torch.float64)
        u = cin * (x - a * mu)
        z = u @ w["W0x"] + (temb @ w["W0t"] + w["b0"])
        for l in range(1, depth):
            z = torch.nn.functional.silu(z) @ w["W%d" % l] + w["b%d" % l]
        out = torch.nn.functional.silu(z) @ w["Wout"] + w["bout"]
        return -out / np.sqrt(s2)

    nfe = [0]

    def ode(t, y):
        nfe[0] += 1
        x = torch.tensor(y[:n * d].reshape(n, d), requires_grad=True)
        with torch.enable_grad():
            s = score(x, t)
            div = torch.zeros(n, dtype=torch.float64)
            for j in range(d):
                div += torch.autograd.grad(s[:, j].sum(), x, retain_graph=j < d - 1)[0][:, j]
        beta = b0 + t * (b1 - b0)
        drift = -0.5 * beta * x.detach() - 0.5 * beta * s.detach()
        dlogp = -d * 0.5 * beta - 0.5 * beta * div
        return np.concatenate([drift.numpy().ravel(), dlogp.numpy()])

    t0 = time.perf_counter()
    sol = solve_ivp(ode, (eps, T), np.concatenate([x0.ravel(), np.zeros(n)]), rtol=rtol, atol=atol, method="RK45")
    xT = sol.y[:n * d, -1].reshape(n, d)
    delta = sol.y[n * d:, -1]
    prior = -0.5 * d * np.log(2 * np.pi) - 0.5 * (xT ** 2).sum(1)
    logp = prior + delta
    wall = time.perf_counter() - t0
    np.savetxt(points + ".peer_logp", logp)
    print(json.dumps({"peer": "scipy solve_ivp RK45 + torch %s autograd divergence" % torch.__version__, "n": n, "d": d,
                      "threads": threads, "wall_s": wall, "nfe": int(sol.nfev), "mean_logp_nats": float(logp.mean()),
                      "mean_bits_per_dim": float(-logp.mean() / (d * np.log(2)))}))


if __name__ == "__main__":
    main()
