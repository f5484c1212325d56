#!/usr/bin/env bash
# The main job: a Rust game loop embedding a Haxe game. Compiles examples/game/Game.hx
# to HashLink bytecode and runs the host (examples/game/host.rs) on it: the host calls
# Game.update(dt) every frame, pumps Haxe timers, exchanges objects/arrays/maps with
# Haxe and receives callbacks.
#   usage: scripts/run-example.sh [FRAMES]
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
cd "$root"

scripts/install-deps.sh

example="$root/examples/game"
out="$root/target/examples/game.hl"
mkdir -p "$(dirname "$out")"
echo "== compiling $example/Game.hx -> $out" >&2
(cd "$example" && haxe -cp "$example" -main Game -hl "$out")

echo "== building and running the host: cargo run --release -p hlffi --example game" >&2
exec cargo run --release -q -p hlffi --example game -- "$out" "$@"
