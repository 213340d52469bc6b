#!/usr/bin/env bash
# Exact-score reverse-SDE sampling: pdediff against the NumPy reference of ../shared/bench, same problems, one run.
# Prints both timings and the ratio for (N=2000, n=2000, d=2, 500 steps) and (N=1797, n=1000, d=64, 200 steps).
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
ref="$root/../shared/bench/ref_exact_score_sampling.py"
"$root/pdediff" --version >/dev/null
for problem in "2000 2000 2 500" "1797 1000 64 200"; do
  set -- $problem
  numpy=$(python3 "$ref" "$1" "$2" "$3" "$4")
  ours=$("$root/pdediff" bench exact-score --n-train "$1" --n "$2" --d "$3" --steps "$4")
  python3 - "$numpy" "$ours" <<'PY'
import json, sys
a, b = json.loads(sys.argv[1]), json.loads(sys.argv[2])
print(f"N={a['n_train']} n={a['n']} d={a['d']} steps={a['steps']}: numpy {a['wall_s']:.2f} s, pdediff {b['wall_s']:.2f} s"
      f" ({b['threads']} threads) -> ratio {a['wall_s'] / b['wall_s']:.1f}x;"
      f" mean nearest-train distance numpy {a['mean_nearest_train_dist']} vs pdediff {b['mean_nearest_train_dist']}")
PY
done
