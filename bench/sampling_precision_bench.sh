#!/usr/bin/env bash
# Float32 vs float64 evaluation of a P3 potential network's score (3×80 Softplus β = 100, input (t, x)) on pdediff's
# MLP engine, one thread: why `experiment ode-sde-gap` samples in float32 (as P3 does). Trains a 50-step P3-preset
# potential on blob to a temporary file (the weights' values do not matter for the timing), then times both.
# Usage: bench/sampling_precision_bench.sh [POINTS]
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
tmp="$(mktemp -d)"
trap 'rm -rf "$tmp"' EXIT
echo "load before: $(cut -d' ' -f1-3 /proc/loadavg), $(nproc) cores"
"$root/pdediff" train --data blob --sde ou:theta=1,g=1,T=10 --param potential --activation softplus --softplus-beta 100 \
  --width 80 --depth 3 --time-input t --input-scaling raw --steps 50 --out "$tmp/pot.pdm" >/dev/null
java --add-modules jdk.incubator.vector -cp "$root/target/pdediff.jar:$root/target/lib/*" "$root/bench/PotentialEvalBench.java" \
  "$tmp/pot.pdm" "$@" 2> >(grep -v -e "incubator" -e "^1 warning$" >&2)
echo "load after: $(cut -d' ' -f1-3 /proc/loadavg)"
