#!/usr/bin/env bash
# Issue 10 (C7/C8, P3): separates "pdediff's pipeline is wrong" from "pdediff's training budget is too small" with P3's
# own published artefacts (github.com/teojd/ODESDEGap: checkpoints/ and precomputed_dists/).
#
#   A  P3's published 64x64 histograms (3e6 samples per model) through pdediff's exact OT and the experiment's claim
#      checks (OdeSdeGapExperiment.claimChecks), with the noise floor at N = 3e6 (two multinomial resamples of the
#      truth histogram) and pdediff's own data sets against P3's truth histograms.
#   B  P3's 12 networks converted to pdediff model files (.pdm: potential, time input t, raw x, Softplus beta = 100),
#      their score checked against PyTorch's at 500 random (t, x), then sampled by pdediff's Euler / Euler-Maruyama on
#      the experiment's grid (790 + 100 steps, SDE last step noiseless), compared with P3's histograms of the same
#      networks and put through the claim checks.
#
# Usage: bench/p3_crosscheck.sh P3_REPO [parts] [n] [sets] [agg]
#   P3_REPO  a checkout of teojd/ODESDEGap (e.g. git -C MIRROR archive HEAD | tar -x -C DIR)
#   parts    any of A, convert, B (default "A convert B"); n samples per sampler in B (default 20000);
#   sets     data sets sampled in B (default "blob"); agg: 1 = exact OT on P3's 64x64 nodes (default: with the sparse
#            certified solver part A takes ~3.5 min on 2 cores; the dense solve took over 10 minutes per problem),
#            2 = on 32x32 blocks of them
# Python with torch + numpy: $PYTHON (default /work/venv/bin/python). Output under bench/.out/p3cross.
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
p3="$1"
parts="${2:-A convert B}"
n="${3:-20000}"
sets="${4:-blob}"
agg="${5:-1}"
py="${PYTHON:-/work/venv/bin/python}"
out="$root/bench/.out/p3cross"
mkdir -p "$out"
"$root/pdediff" --version >/dev/null  # builds the jar when the sources changed
java_run() {
  nice -n 10 java --add-modules jdk.incubator.vector -cp "$root/target/pdediff.jar:$root/target/lib/*" "$root/bench/P3CrossCheck.java" "$@" \
    2> >(grep -v -e "incubator" -e "^1 warning$" >&2)
}
if [[ " $parts " == *" A "* ]]; then
  echo "== A: P3's published histograms through pdediff's metric and claim checks"
  "$py" "$root/bench/p3_crosscheck_dump.py" hist "$p3" "$out/hist"
  java_run published "$out/hist" 1 "$agg"
fi
if [[ " $parts " == *" convert "* ]]; then
  echo "== P3's networks as pdediff models; score of pdediff's model vs PyTorch's (P3's Net.forward_log, +grad_x) at 500 points"
  "$py" "$root/bench/p3_crosscheck_dump.py" hist "$p3" "$out/hist"
  "$py" "$root/bench/p3_crosscheck_dump.py" nets "$p3" "$out/nets"
  "$py" "$root/bench/p3_crosscheck_dump.py" points "$out/points.csv" 500 7
  mkdir -p "$out/models"
  declare -A p3name=([blob]=blob [circles]=circles2 [checker]=checker)
  for s in blob circles checker; do
    for w in 0.0 0.1 1.0 10.0; do
      # named as `experiment ode-sde-gap --models DIR` looks them up: <data>_w<weight as the report prints it>.pdm
      java_run convert "$out/nets/${s}_w$w.json" "$out/models/${s}_w${w%.0}.pdm"
      java_run score "$out/models/${s}_w${w%.0}.pdm" "$out/points.csv" "$out/score_ours.csv"
      "$py" "$root/bench/p3_crosscheck_dump.py" score "$p3" \
        "$p3/checkpoints/${p3name[$s]}/w$w/${p3name[$s]}_net__FP_weight_${w}__iteration_100000" "$out/points.csv" > "$out/score_torch.json"
      echo "  $s w=$w:"
      "$py" "$root/bench/p3_crosscheck_dump.py" compare "$out/score_ours.csv" "$out/score_torch.json"
    done
  done
fi
if [[ " $parts " == *" B "* ]]; then
  echo "== B: pdediff's samplers on P3's networks, n = $n per sampler"
  mkdir -p "$out/samples_$n"
  for s in $sets; do
    for w in 0.0 0.1 1.0 10.0; do
      [[ -f "$out/samples_$n/${s}_w$w.sde.bin" ]] || java_run sample "$out/models/${s}_w${w%.0}.pdm" "$n" 1 "$out/samples_$n/${s}_w$w"
    done
    java_run compare "$out/hist" "$out/samples_$n" "$s" 3 "$agg"
  done
fi
