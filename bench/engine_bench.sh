#!/usr/bin/env bash
# GF/s of pdediff's MLP engine (org.pdediff.nn) per shape: forward + reverse of one 128-row block, float32, one thread.
# Shapes INPUTS,WIDTH,OUTPUTS: the default training network (15,128,2), the FP potential network (15,80,1), a 512-wide
# hidden stack (128,512,128) and a Fashion-MNIST MLP (797,512,784). Usage: bench/engine_bench.sh [SHAPE ...]
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
(cd "$root" && mvn -q -B -ntp compile >/dev/null)
out="$(mktemp -d)"; trap 'rm -rf "$out"' EXIT
javac -nowarn --add-modules jdk.incubator.vector -cp "$root/target/classes" -d "$out" "$root/bench/engine/EngineBench.java" 2>/dev/null
shapes=("$@"); [[ ${#shapes[@]} -gt 0 ]] || shapes=(15,128,2 15,80,1 128,512,128 797,512,784)
java --add-modules jdk.incubator.vector -cp "$root/target/classes:$out" EngineBench "${shapes[@]}" 2>&1 | grep -v '^WARNING: Using incubator'
