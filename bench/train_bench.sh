#!/usr/bin/env bash
# Training speed: pdediff's engine vs PyTorch (eager, float32, one thread) on the same networks, losses and batches.
#   (a) plain DSM, default network (3x128 SiLU, noise output, d = 2), batch 512 and 4096, moons, VP;
#   (b) the FP-regularised potential network 3x80 Softplus(beta = 100) with 2000 DSM and 2000 uniform collocation
#       points per step (log-density residual M4 with grad, Laplacian and d/dt), OU process dX = -X dt + dW, T = 10.
# ms/step on the Java side is (time(N2 steps) - time(N1 steps)) / (N2 - N1), which removes start-up and JIT warm-up;
# PyTorch times steps after warm-up steps. Usage: bench/train_bench.sh [--quick]
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
root="$here/.."
quick="${1:-}"
venv="$here/.venv"
if [[ ! -x "$venv/bin/python" ]] || ! "$venv/bin/python" -c 'import torch' 2>/dev/null; then
  echo "setting up $venv (CPU PyTorch from the local package index)…" >&2
  python3 -m venv "$venv"
  "$venv/bin/pip" install -q --no-index --find-links /opt/wheels --find-links /opt/pypi/files torch numpy >&2 \
    || "$venv/bin/pip" install -q torch numpy >&2
fi
tmp="$(mktemp -d)"; trap 'rm -rf "$tmp"' EXIT
secs() { # secs STEPS ARGS... -> training seconds reported by pdediff
  local steps="$1"; shift
  "$root/pdediff" train --steps "$steps" --validate-every 1000000 --validation-size 16 --out "$tmp/m$steps.pdm" --json "$@" \
    | python3 -c 'import json,sys; print(json.load(sys.stdin)["seconds"])'
}
per_step() { # per_step N1 N2 ARGS... -> ms/step
  local n1="$1" n2="$2"; shift 2
  local a b; a="$(secs "$n1" "$@")"; b="$(secs "$n2" "$@")"
  python3 -c "print(($b - $a) / ($n2 - $n1) * 1e3)"
}
if [[ "$quick" == "--quick" ]]; then s1=100; s2=400; f1=5; f2=25; else s1=300; s2=2300; f1=10; f2=70; fi
dsm=(--data moons:n=4000 --sde vp --param noise --width 128 --depth 3 --activation silu --grad-clip 1 --ema 0.999)
j512="$(per_step $s1 $s2 "${dsm[@]}" --batch 512)"
j4096="$(per_step $((s1 / 4)) $((s2 / 4)) "${dsm[@]}" --batch 4096)"
fp=(--data moons:n=4000 --sde ou:theta=1,g=1,T=10 --param potential --width 80 --depth 3 --activation softplus
    --softplus-beta 100 --batch 2000 --fp-weight 1 --fp-batch 2000 --fp-points uniform --fp-box 3.5 --fp-weighting one
    --fp-tmin 1e-5 --weighting one --time-law beta:a=1,b=2)
jfp="$(per_step $f1 $f2 "${fp[@]}")"
py="$("$venv/bin/python" "$here/train_bench.py" $quick)"
python3 - "$j512" "$j4096" "$jfp" "$py" <<'PY'
import json, sys
j = dict(zip(["dsm512", "dsm4096", "fp"], map(float, sys.argv[1:4])))
p = json.loads(sys.argv[4])
names = {"dsm512": "DSM, 3x128 SiLU, batch 512", "dsm4096": "DSM, 3x128 SiLU, batch 4096",
         "fp": "FP potential 3x80 Softplus(100), 2000 DSM + 2000 colloc."}
print(f"torch {p['torch']}, {p['threads']} thread(s); pdediff engine float32, 1 thread")
print(f"{'case':58s} {'pdediff ms':>11s} {'PyTorch ms':>11s} {'ratio':>7s}")
for k in ["dsm512", "dsm4096", "fp"]:
    print(f"{names[k]:58s} {j[k]:11.2f} {p[k]:11.2f} {j[k] / p[k]:7.2f}")
print(json.dumps({"pdediff_ms": j, "pytorch_ms": {k: p[k] for k in j}, "ratio": {k: j[k] / p[k] for k in j}}))
PY
