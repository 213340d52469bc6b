#!/usr/bin/env bash
# The exact score at 60,000 × 784: reverse-SDE sampling (vp, Euler–Maruyama, uniform grid T = 1 → ε = 1e-3) of
# 64 images with the exact score of all Fashion-MNIST training images, float64, in one run: pdediff (native GEMM +
# certified pruning), PyTorch (same thread count, float64: two GEMMs and a soft-max per step) and NumPy (OpenBLAS,
# same thread count). Prints the three timings and the ratios. Usage: bench/fashion_exact_bench.sh [STEPS] [N]
# Needs dataset-fashion-mnist (installed here if absent and possible) and creates bench/.venv with torch and numpy.
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
steps="${1:-200}"
n="${2:-64}"
if [[ ! -f /usr/share/datasets/fashion-mnist/train-images-idx3-ubyte.gz && -z "${PDEDIFF_DATA:-}" ]]; then
  apt-get install -y dataset-fashion-mnist >/dev/null 2>&1 || { echo "install dataset-fashion-mnist first" >&2; exit 2; }
fi
venv="$root/bench/.venv"
if [[ ! -x "$venv/bin/python" ]] || ! "$venv/bin/python" -c "import torch, numpy" 2>/dev/null; then
  python3 -m venv "$venv" && "$venv/bin/pip" install -q torch numpy
fi
threads="$(nproc)"
"$root/pdediff" --version >/dev/null
ours=$("$root/pdediff" bench exact-score --data fashion-mnist --n "$n" --steps "$steps")
torch=$(OMP_NUM_THREADS="$threads" "$venv/bin/python" "$root/bench/fashion_exact_ref.py" torch "$n" "$steps" "$threads")
numpy=$(OMP_NUM_THREADS="$threads" OPENBLAS_NUM_THREADS="$threads" MKL_NUM_THREADS="$threads" \
  "$venv/bin/python" "$root/bench/fashion_exact_ref.py" numpy "$n" "$steps" "$threads")
"$venv/bin/python" - "$ours" "$torch" "$numpy" <<'PY'
import json, sys
o, t, n = (json.loads(a) for a in sys.argv[1:4])
print(f"exact score, N={o['n_train']} d={o['d']} n={o['n']} steps={o['steps']} (vp, EM, uniform grid, float64)")
print(f"  pdediff  {o['wall_s']:8.2f} s  ({o['threads']} threads; one-time set-up {o.get('setup_s')} s not included; "
      f"chunks by projection bound/full GEMM {o.get('native_chunks_projection_bound')}/{o.get('native_chunks_full_gemm')}; "
      f"native rows sparse/dense/exact {o.get('native_rows_sparse')}/{o.get('native_rows_dense')}/{o.get('native_rows_exact')}, "
      f"mean points kept per sparse row {o.get('mean_points_kept_per_sparse_row')}); mean nearest-train distance {o['mean_nearest_train_dist']}")
print(f"  PyTorch  {t['wall_s']:8.2f} s  ({t['threads']} threads); mean nearest-train distance {t['mean_nearest_train_dist']}")
print(f"  NumPy    {n['wall_s']:8.2f} s  ({n['threads']} threads); mean nearest-train distance {n['mean_nearest_train_dist']}")
print(f"  ratio: PyTorch/pdediff {t['wall_s'] / o['wall_s']:.2f}x, NumPy/pdediff {n['wall_s'] / o['wall_s']:.2f}x")
PY
