#!/usr/bin/env bash
# Host→Haxe call overhead: compiles examples/bench/Bench.hx and times
# `Bench.inc(n:Int):Int` called by name (Vm::call_static) and through a cached
# StaticFn handle, in ns/call (best of 5 runs of N calls, default 1,000,000).
#   usage: scripts/bench-api.sh [N]      (BENCH_PROFILE: cargo profile, default release)
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
cd "$root"
scripts/install-deps.sh
out="$root/target/examples/bench.hl"
mkdir -p "$(dirname "$out")"
(cd examples/bench && haxe -cp . -main Bench -hl "$out")
exec cargo run --profile "${BENCH_PROFILE:-release}" -q -p hlffi --example call_overhead -- "$out" "$@"
