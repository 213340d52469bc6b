#!/usr/bin/env bash
# Benchmark of `pdediff pde` (issue 4): 2-D, 256 x 256, vp, gmm data, from t0 = 1e-3 to t = 1 on the box [-6, 6]^2,
# against a plain SciPy sparse implicit solver of the same equation (bench/pde_bench.py).
# Usage: bench/pde_bench.sh [GRID] [STEPS]     (defaults 256 400). Needs python3 with numpy and scipy.
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
grid="${1:-256}"
steps="${2:-400}"
out="$(mktemp -d)"
trap 'rm -rf "$out"' EXIT
"$here/../pdediff" pde --data gmm --sde vp --grid "$grid" --box=-6,6 --t0 1e-3 --times 1 --steps "$steps" \
  --no-diagnostics --no-plots --out "$out/java" >/dev/null
java_json="$(python3 -c '
import json, sys
s = json.load(open(sys.argv[1]))
r = s["times"][-1]
print(json.dumps({"solver": "pdediff (SG finite volumes, split CN, Thomas)", "grid": s["grid"]["n"][0], "steps": s["steps"],
                  "seconds": s["solve_seconds"], "l1_error": r["l1_error"], "mass_error": r["mass_error"], "min": r["min"]}))
' "$out/java/summary.json")"
echo "$java_json"
py_json="$(python3 "$here/pde_bench.py" --grid "$grid" --steps "$steps" --lo -6 --hi 6)"
echo "$py_json"
python3 -c '
import json, sys
j, p = json.loads(sys.argv[1]), json.loads(sys.argv[2])
print("time ratio scipy/pdediff: %.1f x; l1 error pdediff %.2e vs scipy %.2e; mass error %.1e vs %.1e"
      % (p["seconds"] / j["seconds"], j["l1_error"], p["l1_error"], j["mass_error"], p["mass_error"]))
' "$java_json" "$py_json"
