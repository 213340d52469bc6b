#!/usr/bin/env bash
# Likelihood through the probability-flow ODE (issue 13): `pdediff likelihood` (dp45, exact trace of the MLP's
# forward-mode Jacobian) against the peer a PyTorch user would write (bench/likelihood_bench.py: score_sde's recipe,
# SciPy solve_ivp RK45 on the flattened batch, the same network in PyTorch float64, divergence by autograd), on the
# same d = 2 MLP checkpoint (vp, trained here for 300 steps on moons) and the same N points, same eps and tolerances,
# same error norm (RMS over the flattened batch: --error-norm batch-rms), all cores each (torch: nproc threads;
# pdediff: the score and divergence on 512-row chunks in parallel; the network itself runs one libtorch thread). Prints both timings, NFEs,
# the ratio, and the largest per-point difference of log p (both are solver-tolerance accurate, so they agree to
# about rtol·|log p| + atol times a modest factor).
# Usage: bench/likelihood_bench.sh [N] [RTOL]     (defaults 10000 1e-5). Creates bench/.venv (torch, numpy, scipy).
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
n="${1:-10000}"
tol="${2:-1e-5}"
eps=1e-5
venv="$here/.venv"
if ! "$venv/bin/python" -c "import torch, numpy, scipy" 2>/dev/null; then
  python3 -m venv "$venv"
  "$venv/bin/pip" install -q torch numpy scipy
fi
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
"$here/../pdediff" train --data moons:n=2000 --steps 300 --seed 0 --out "$work/model.pdm" >/dev/null 2>&1
"$venv/bin/python" - "$n" "$work/points.csv" <<'PY'
import sys, numpy as np
n, out = int(sys.argv[1]), sys.argv[2]
rng = np.random.default_rng(0)
th = rng.uniform(0, np.pi, n); up = rng.random(n) < 0.5
x = np.where(up, np.cos(th), 1 - np.cos(th)); y = np.where(up, np.sin(th), 0.5 - np.sin(th))
pts = np.stack([x, y], 1) + 0.05 * rng.standard_normal((n, 2))
np.savetxt(out, pts, delimiter=",", header="x1,x2", comments="", fmt="%.17g")
PY
ours="$("$here/../pdediff" likelihood --data moons:n=2000 --score "model:$work/model.pdm" --points "file:$work/points.csv" \
  --eps "$eps" --rtol "$tol" --atol "$tol" --error-norm batch-rms --out "$work/java" --json)"
peer="$("$venv/bin/python" "$here/likelihood_bench.py" "$work/model.pdm" "$work/points.csv" "$eps" "$tol" "$tol" "$(nproc)")"
echo "$ours"
echo "$peer"
"$venv/bin/python" - "$ours" "$peer" "$work/java/likelihood.csv" "$work/points.csv.peer_logp" <<'PY'
import json, sys, numpy as np
a, b = json.loads(sys.argv[1]), json.loads(sys.argv[2])
ours = np.loadtxt(sys.argv[3], delimiter=",", skiprows=1)[:, 1]
peer = np.loadtxt(sys.argv[4])
print(f"n={a['n']} d={a['d']}: pdediff {a['wall_s']:.2f} s ({a['nfe']} NFE), {b['peer']} {b['wall_s']:.2f} s ({b['nfe']} NFE)"
      f" -> time ratio peer/pdediff {b['wall_s'] / a['wall_s']:.2f}x, per NFE {(b['wall_s'] / b['nfe']) / (a['wall_s'] / a['nfe']):.2f}x;"
      f" mean bits/dim {a['mean_bits_per_dim']:.5f} vs {b['mean_bits_per_dim']:.5f}; max |log p difference| {np.abs(ours - peer).max():.2e} nats")
PY
