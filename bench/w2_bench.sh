#!/usr/bin/env bash
# Exact W2² between x ~ N(0, I) and y ~ N(1, 0.25 I) (d = 2, numpy default_rng(SEED), x drawn first) at n = 2,000 and
# 5,000: pdediff (in-process, JIT warmed, JVM start-up excluded) against ../shared/bench/ref_exact_w2.py (SciPy's
# linear_sum_assignment, and POT's ot.emd2 when importable) on the SAME points, in one run. Then sliced W2 on 10^6
# points per side. Prints both timings, the ratios and the relative difference of the values (must be <= 1e-9).
# Usage: bench/w2_bench.sh [SEED] [SIZES...]   (POT: apt-get install python3-pot, used through /usr/bin/python3)
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
ref="$root/../shared/bench/ref_exact_w2.py"
seed="${1:-0}"
shift || true
sizes=("$@")
[[ ${#sizes[@]} -gt 0 ]] || sizes=(2000 5000)
# one interpreter for the points and the reference: Debian's when it has POT (and NumPy/SciPy), else the first on PATH
py=python3
if /usr/bin/python3 -c "import ot, scipy, numpy" 2>/dev/null; then py=/usr/bin/python3; fi
"$root/pdediff" --version >/dev/null   # builds target/pdediff.jar when needed
java_cmd=(java -Xmx4g -cp "$root/target/pdediff.jar" org.pdediff.metrics.bench.W2Bench)
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
for n in "${sizes[@]}"; do
  "$py" - "$n" "$seed" "$work" <<'PY'
import sys, numpy as np
n, seed, out = int(sys.argv[1]), int(sys.argv[2]), sys.argv[3]
rng = np.random.default_rng(seed)
x = rng.standard_normal((n, 2))
y = 1.0 + 0.5 * rng.standard_normal((n, 2))
for name, v in (("x", x), ("y", y)):
    np.savetxt(f"{out}/{name}.csv", v, delimiter=",", header="x1,x2", comments="", fmt="%.17g")
PY
  refs=$("$py" "$ref" "$n" 2 "$seed")
  ours=$("${java_cmd[@]}" exact "$work/x.csv" "$work/y.csv" auction)
  "$py" - "$ours" "$refs" <<'PY'
import json, sys
ours = json.loads(sys.argv[1])
print(json.dumps(ours))
for line in sys.argv[2].strip().splitlines():
    r = json.loads(line)
    print(json.dumps(r))
    rel = abs(ours["w2_sq"] - r["w2_sq"]) / abs(r["w2_sq"])
    print(f"n={ours['n']} d={ours['d']}: {r['impl']} {r['wall_s']:.3f} s, {ours['impl']} {ours['wall_s']:.3f} s (cpu {ours['cpu_s']:.3f} s)"
          f" -> ratio {r['wall_s'] / ours['wall_s']:.1f}x; W2^2 {r['w2_sq']!r} vs {ours['w2_sq']!r},"
          f" relative difference {rel:.1e} ({'OK' if rel <= 1e-9 else 'MISMATCH'} at 1e-9)")
PY
done
sliced=$("${java_cmd[@]}" sliced 1000000 50 "$seed")
echo "$sliced"
"$py" - "$sliced" <<'PY'
import json, sys
s = json.loads(sys.argv[1])
print(f"sliced W2, n={s['n']} per side, {s['directions']} directions, {s['threads']} threads: {s['wall_s']:.3f} s wall, {s['cpu_s']:.3f} s cpu"
      f" ({'under' if s['wall_s'] < 2 else 'OVER'} the 2 s target)")
PY
