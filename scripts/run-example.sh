#!/usr/bin/env bash
# The main job: build the `hlffi` runner (release), compile the example Haxe program
# examples/hello/Main.hx to HashLink bytecode and run it.
#   usage: scripts/run-example.sh [ARGS passed to the Haxe program...]
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
cd "$root"

scripts/install-deps.sh

echo "== building hlffi (release)" >&2
cargo build --release -p hlffi --bin hlffi

example="$root/examples/hello"
out="$root/target/examples/hello.hl"
mkdir -p "$(dirname "$out")"
echo "== compiling $example/Main.hx -> $out" >&2
(cd "$example" && haxe -cp "$example" -main Main -hl "$out")

echo "== running: target/release/hlffi run $out" >&2
exec "$root/target/release/hlffi" run "$out" "$@"
