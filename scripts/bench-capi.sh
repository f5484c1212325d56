#!/usr/bin/env bash
# C host -> Haxe call overhead through the C API: compiles examples/bench/Bench.hx and
# examples/c/bench.c (against the release libhlffi), then times `Bench.inc(n:Int):Int`
# through hlffi_call_static and hlffi_call_cached, in ns/call including argument and
# result handles (best of 5 runs of N calls, default 1,000,000). Compare with
# scripts/bench-api.sh (the same call from Rust).
#   usage: scripts/bench-capi.sh [N]
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
cd "$root"
scripts/install-deps.sh
cargo build --release -q -p hlffi-capi
lib=${CARGO_TARGET_DIR:-$root/target}/release
out="$root/target/examples"
mkdir -p "$out"
(cd examples/bench && haxe -cp . -main Bench -hl "$out/bench.hl")
cc -O2 -std=c99 -D_POSIX_C_SOURCE=200809L -I hlffi-capi/include examples/c/bench.c -o "$out/c-bench" \
  -L "$lib" -Wl,-rpath,"$lib" -lhlffi
exec "$out/c-bench" "$out/bench.hl" "$@"
