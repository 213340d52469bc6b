#!/usr/bin/env bash
# Exact W2² between two 64×64 histograms of 20,000 samples each (blob and checker laws): OR-Tools MinCostFlow on the
# complete bipartite graph vs the certified sparse arc set (metrics.SparseFlow), in one JVM (JIT warmed). Prints the
# times in ms, the ratio, both values and the sparse solver's log, then the machine load.
# Usage: bench/ot_sparse_bench.sh [SAMPLES] [SEED]
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
"$root/pdediff" --version >/dev/null   # builds target/pdediff.jar when needed
echo "load before: $(cut -d' ' -f1-3 /proc/loadavg), $(nproc) cores"
java -Xmx6g -cp "$root/target/pdediff.jar:$root/target/lib/*" "$root/bench/OtSparseBench.java" "$@"
echo "load after: $(cut -d' ' -f1-3 /proc/loadavg)"
