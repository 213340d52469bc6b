#!/usr/bin/env python3
"""Plain SciPy reference for `pdediff pde`: the forward Fokker-Planck equation (M3) of the VP SDE,
dp/dt = div(a(t) x p + D(t) grad p), a = beta/2, D = beta/2, on an n x n cell-centred grid with zero-flux
boundaries, from the exact Gaussian-mixture law at t0 = 1e-3 to t = 1 (data: gmm, 8 components N(mu_k, 0.1^2 I)
on the circle of radius 2).

Space: finite volumes with central fluxes J = v_f (p_i + p_{i+1})/2 - D (p_{i+1} - p_i)/h (the textbook second-order
discretisation). Time: Crank-Nicolson with two damping steps (two backward-Euler half steps each), on the same
time levels as pdediff (uniform in psi(t) = ln(sigma^2 + h^2) - ln alpha + t). Each step assembles the 2-D sparse
matrix I - k/2 L(t1) (L(t) = a(t) A + D(t) B, A and B fixed Kronecker sums) and solves with a sparse LU (SuperLU).

Prints one JSON line: seconds (solve only), steps, l1_error (against the exact cell averages at t = 1),
mass_error (relative).
"""
import argparse
import json
import time

import numpy as np
import scipy.sparse as sp
import scipy.sparse.linalg as spla
from scipy.special import ndtr

B0, B1 = 0.1, 20.0


def int_beta(t):
    return B0 * t + 0.5 * t * t * (B1 - B0)


def alpha(t):
    return np.exp(-0.5 * int_beta(t))


def sigma2(t):
    return -np.expm1(-int_beta(t))


def beta(t):
    return B0 + t * (B1 - B0)


def cell_averages(t, lo, hi, n):
    """Exact cell averages of p_t = mean_k N(alpha mu_k, alpha^2 0.01 + sigma^2) (products of normal CDFs)."""
    a, s2 = alpha(t), sigma2(t)
    sd = np.sqrt(a * a * 0.01 + s2)
    edges = np.linspace(lo, hi, n + 1)
    h = (hi - lo) / n
    out = np.zeros((n, n))
    for k in range(8):
        th = 2 * np.pi * k / 8
        mx, my = a * 2 * np.cos(th), a * 2 * np.sin(th)
        px = np.diff(ndtr((edges - mx) / sd))
        py = np.diff(ndtr((edges - my) / sd))
        out += np.outer(px, py) / 8
    return out / (h * h)


def operators(lo, hi, n):
    """1-D central FV operators: (A p)_i for the drift part v = -x (times a(t)), (B p)_i for diffusion (times D)."""
    h = (hi - lo) / n
    faces = lo + h * np.arange(1, n)  # interior faces
    # flux J_{i+1/2} = a * (-x_f) (p_i + p_{i+1})/2 ; dp_i/dt = (J_{i-1/2} - J_{i+1/2})/h
    va = -faces
    rows, cols, vals = [], [], []
    for i in range(n - 1):
        c = va[i] / 2 / h
        # J_{i+1/2} leaves i, enters i+1
        rows += [i, i, i + 1, i + 1]
        cols += [i, i + 1, i, i + 1]
        vals += [-c, -c, c, c]
    A = sp.csr_matrix((vals, (rows, cols)), shape=(n, n))
    main = np.full(n, -2.0)
    main[0] = main[-1] = -1.0
    Bm = sp.diags([np.ones(n - 1), main, np.ones(n - 1)], [-1, 0, 1]) / (h * h)
    eye = sp.identity(n, format="csr")
    A2 = sp.kron(A, eye) + sp.kron(eye, A)
    B2 = sp.kron(Bm, eye) + sp.kron(eye, Bm)
    return A2.tocsc(), B2.tocsc()


def levels(t0, t1, steps, floor):
    def psi(t):
        return np.log(sigma2(t) + floor) - np.log(alpha(t)) + t
    p0, p1 = psi(t0), psi(t1)
    out = [t0]
    for s in range(1, steps):
        target = p0 + (p1 - p0) * s / steps
        lo, hi = t0, t1
        for _ in range(200):
            mid = 0.5 * (lo + hi)
            if psi(mid) < target:
                lo = mid
            else:
                hi = mid
        out.append(0.5 * (lo + hi))
    out.append(t1)
    return np.array(out)


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--grid", type=int, default=256)
    ap.add_argument("--steps", type=int, default=400)
    ap.add_argument("--lo", type=float, default=-6.0)
    ap.add_argument("--hi", type=float, default=6.0)
    args = ap.parse_args()
    n, lo, hi = args.grid, args.lo, args.hi
    h = (hi - lo) / n
    p = cell_averages(1e-3, lo, hi, n).ravel()
    m0 = p.sum() * h * h
    t_start = time.perf_counter()
    A, B = operators(lo, hi, n)
    eye = sp.identity(n * n, format="csc")
    lv = levels(1e-3, 1.0, args.steps, h * h)

    def L(t):
        return 0.5 * beta(t) * A + 0.5 * beta(t) * B

    for s in range(1, len(lv)):
        ta, tb = lv[s - 1], lv[s]
        k = tb - ta
        if s <= 2:
            tm = ta + 0.5 * k
            p = spla.splu((eye - 0.5 * k * L(tm)).tocsc()).solve(p)
            p = spla.splu((eye - 0.5 * k * L(tb)).tocsc()).solve(p)
        else:
            rhs = p + 0.5 * k * (L(ta) @ p)
            p = spla.splu((eye - 0.5 * k * L(tb)).tocsc()).solve(rhs)
    seconds = time.perf_counter() - t_start
    exact = cell_averages(1.0, lo, hi, n).ravel()
    print(json.dumps({"solver": "scipy-splu-cn-central", "grid": n, "steps": len(lv) - 1, "seconds": seconds,
                      "l1_error": float(np.abs(p - exact).sum() * h * h),
                      "mass_error": float(abs(p.sum() * h * h - m0) / m0), "min": float(p.min())}))


if __name__ == "__main__":
    main()
