#!/usr/bin/env bash
# Foreign TorchScript scores (--score torchscript:PATH), one run of each part:
# 1. Speed: one MLP (trained by `pdediff train`, 2-128-128-128-2 SiLU, noise output) sampled as --score model:PATH
#    and, re-implemented in PyTorch and exported as TorchScript (torchscript_tools.py export), as --score
#    torchscript:PATH; both in float64, Euler-Maruyama, 200 steps, n = 2000, one thread. Prints both sampling times
#    (the commands' wall_s, JVM start and loading excluded; best of two alternating runs each), the ratio, and the largest difference between the two
#    sample sets (same seed: they must agree to rounding).
# 2. Round trip: an MLP trained and exported in PyTorch samples through every sampler; score-check reports it; its
#    score-FP residual (M5) and divergence at 64 points from pdediff agree with PyTorch autograd (largest relative
#    difference printed).
# Python with torch: $PYTHON, else bench/.venv (created here with `pip install torch numpy`).
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
py="${PYTHON:-$root/bench/.venv/bin/python}"
if [[ ! -x "$py" ]]; then
  python3 -m venv "$root/bench/.venv" && "$root/bench/.venv/bin/pip" install -q torch numpy
  py="$root/bench/.venv/bin/python"
fi
tools="$root/bench/torchscript_tools.py"
out="$root/bench/.out/torchscript"
rm -rf "$out" && mkdir -p "$out"
"$root/pdediff" --version >/dev/null

echo "== 1. speed: the same MLP as model:PATH and as torchscript:PATH"
"$root/pdediff" train --data moons --sde vp --steps 300 --seed 1 --out "$out/model.pdm" >/dev/null 2>&1
"$py" "$tools" export "$out/model.pdm" "$out/model.pt" 2>/dev/null
common=(sample --data moons --sde vp --sampler em --steps 200 --n 2000 --seed 1 --json)
declare -a a b
# alternate A B A B and keep each one's faster run: on a shared machine, load changes between runs
for i in 1 2; do
  a[$i]=$("$root/pdediff" "${common[@]}" --score "model:$out/model.pdm" --out "$out/native")
  b[$i]=$("$root/pdediff" "${common[@]}" --score "torchscript:$out/model.pt:output=noise" --out "$out/foreign")
done
"$py" - "${a[1]}" "${a[2]}" "${b[1]}" "${b[2]}" "$out" <<'PY'
import json, sys, numpy as np
a = min((json.loads(v) for v in sys.argv[1:3]), key=lambda r: r["wall_s"])
b = min((json.loads(v) for v in sys.argv[3:5]), key=lambda r: r["wall_s"])
out = sys.argv[5]
x = np.loadtxt(f"{out}/native/samples.csv", delimiter=",", skiprows=1)
y = np.loadtxt(f"{out}/foreign/samples.csv", delimiter=",", skiprows=1)
print(f"model:PATH {a['wall_s']:.2f} s, torchscript:PATH {b['wall_s']:.2f} s (best of 2 each) -> ratio {b['wall_s'] / a['wall_s']:.2f}"
      f" (nfe {a['nfe']} each); max |difference of samples| {np.abs(x - y).max():.2e}")
PY

echo "== 2. round trip: a network trained and exported in PyTorch"
"$py" "$tools" train "$out/net.pt" "$out/points.csv"
for s in em pc ddpm ddim euler heun rk4 dp45; do
  "$root/pdediff" sample --data moons --sde vp --score "torchscript:$out/net.pt" --sampler "$s" --steps 100 --n 500 \
    --out "$out/s_$s" --json | "$py" -c 'import json, sys; r = json.load(sys.stdin); m = [round(v, 3) for v in r["sample_mean"]]; print("  %-6s nfe %4d  %.2f s  mean %s" % (r["sampler"], r["nfe"], r["wall_s"], m))'
done
"$root/pdediff" score-check --data moons --sde vp --score "torchscript:$out/net.pt" --points 500
ref=$("$py" "$tools" reference "$out/net.pt" "$out/points.csv")
ours=$(DNNL_MAX_CPU_ISA="${DNNL_MAX_CPU_ISA:-AVX}" TORCH_CPP_LOG_LEVEL=ERROR java -Dai.djl.offline=true -DOPT_OUT_TRACKING=true \
  -Dai.djl.pytorch.num_threads=1 -Dai.djl.pytorch.num_interop_threads=1 \
  -cp "$root/target/pdediff.jar:$root/target/lib/*" "$root/bench/TorchScriptCheck.java" "$out/net.pt" "$out/points.csv")
"$py" - "$ref" "$ours" <<'PY'
import json, sys, numpy as np
r, o = json.loads(sys.argv[1]), json.loads(sys.argv[2])
for k in ("fp_residual", "divergence"):
    a, b = np.array(o[k]).reshape(64, -1), np.array(r[k]).reshape(64, -1)
    rel = np.linalg.norm(a - b, axis=1) / np.linalg.norm(b, axis=1)
    print(f"{k}: pdediff vs PyTorch autograd at 64 points: max relative difference {rel.max():.2e}"
          f" (rms of reference {np.sqrt((b ** 2).sum(1).mean()):.4g})")
PY
