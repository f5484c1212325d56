#!/usr/bin/env bash
# Hot-reload benchmark: generates a Haxe program of about 2,000 functions (40 classes ×
# 50 static methods, plus Main) in two versions that differ in one function body
# (C20.m25), compiles both with haxe into target/reload-bench/, then runs
# hlffi/examples/reload_bench.rs: the time of each of RELOADS `Vm::reload_module` calls
# (alternating v2/v1; min/median/max ms) and the cost of calls to unchanged code
# before and after them (target: under 20 ms per reload, calls not slower).
#   usage: scripts/bench-reload.sh [N] [RELOADS]   (defaults 1000000 and 100)
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
cd "$root"
scripts/install-deps.sh

classes=40
methods=50
out="$root/target/reload-bench"
mkdir -p "$out"

# gen VERSION: writes $out/src-vVERSION/Main.hx; version 2 changes C20.m25's body.
gen() {
  local version=$1 dir="$out/src-v$1"
  mkdir -p "$dir"
  {
    local c m extra
    for ((c = 0; c < classes; c++)); do
      printf 'class C%d {\n' "$c"
      for ((m = 0; m < methods; m++)); do
        extra=""
        if [[ $version == 2 && $c == 20 && $m == 25 ]]; then extra=" + 1"; fi
        printf '\tpublic static function m%d(x:Int):Int {\n\t\treturn x * %d + %d%s;\n\t}\n' "$m" "$m" "$c" "$extra"
      done
      printf '}\n\n'
    done
    cat <<'HX'
class Main {
	public static var total:Int = 0;

	static function main() {
		total = C0.m1(1);
	}

	public static function unchanged(x:Int):Int {
		return x + 1;
	}

	public static function hot(n:Int):Int {
		var t = 0;
		for (k in 0...n) {
			t += C3.m7(k) + C39.m49(k);
		}
		return t;
	}
}
HX
  } >"$dir/Main.hx.tmp"
  mv "$dir/Main.hx.tmp" "$dir/Main.hx"
  (cd "$dir" && haxe -cp . -main Main -hl "$out/v$version.hl.tmp")
  mv "$out/v$version.hl.tmp" "$out/v$version.hl"
}

gen 1
gen 2
cmp -s "$out/v1.hl" "$out/v2.hl" && { echo "bench-reload: v1 and v2 compiled to the same bytecode" >&2; exit 1; }
exec cargo run --profile "${BENCH_PROFILE:-release}" -q -p hlffi --example reload_bench -- "$out/v1.hl" "$out/v2.hl" "$@"
