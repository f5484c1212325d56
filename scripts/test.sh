#!/usr/bin/env bash
# All tests: unit and integration tests of every crate (release build: the interpreter is
# slow in debug), the embedding API suites under GC stress, then the shared conformance suite on the `hlffi` binary, normally and
# with the GC collecting at every allocation (HLVM_GC_STRESS=1). Every stage runs even
# when an earlier one failed; the script exits non-zero when any stage failed.
#   usage: scripts/test.sh
set -uo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
cd "$root"

failed=()
stage() { printf '\n==== %s\n' "$*"; }
# run_stage TITLE COMMAND...: runs one stage and records it when it fails.
run_stage() {
  local title=$1; shift
  stage "$title"
  if ! "$@"; then
    failed+=("$title")
    printf '==== FAILED: %s\n' "$title"
  fi
}

stage "dependencies (scripts/install-deps.sh)"
scripts/install-deps.sh || { echo "==== FAILED: could not install the dependencies"; exit 1; }

run_stage "cargo test --workspace --release" cargo test --workspace --release --no-fail-fast

# The embedding API suites again with the GC collecting at every safepoint: handles,
# arguments and callbacks must keep their values rooted.
api_stress() (
  export HLVM_GC_STRESS=1
  cargo test --release -p haxe-tests --test 'api_*'
)
run_stage "embedding API suites under GC stress: HLVM_GC_STRESS=1 cargo test -p haxe-tests --test 'api_*'" api_stress

# The C API as a host sees it: install into a scratch prefix, build the C example with
# pkg-config, run it (the C test programs themselves run in `cargo test`).
capi_install() (
  set -e
  prefix="$root/target/capi-prefix"
  rm -rf "$prefix"
  scripts/install-capi.sh "$prefix"
  out="$root/target/examples"
  mkdir -p "$out"
  (cd examples/c && haxe -cp . -main Game -hl "$out/c-game.hl")
  # shellcheck disable=SC2046 # pkg-config output is a list of flags
  cc examples/c/game.c $(PKG_CONFIG_PATH="$prefix/lib/pkgconfig" pkg-config --cflags --libs hlffi) -o "$out/c-game"
  "$out/c-game" "$out/c-game.hl" 400 > "$out/c-game.out"
  [[ $(tail -n 1 "$out/c-game.out") == "final score 30, 3 kills reported to C" ]]
)
run_stage "C API: scripts/install-capi.sh, examples/c/game.c built with pkg-config and run" capi_install

conformance="$root/../shared/conformance"
if [[ -d $conformance ]]; then
  # run.sh needs the runner binary; `cargo test` does not always build it.
  run_stage "cargo build --release -p hlffi --bin hlffi" cargo build --release -p hlffi --bin hlffi
  # run.sh runs the VM command from inside each case folder: give it an absolute path.
  runner="$root/target/release/hlffi"
  run_stage "conformance: ../shared/conformance/run.sh target/release/hlffi run" \
    "$conformance/run.sh" "$runner" run
  gc_stress() (
    export HLVM_GC_STRESS=1
    "$conformance/run.sh" "$runner" run
  )
  run_stage "conformance under GC stress: HLVM_GC_STRESS=1 ../shared/conformance/run.sh target/release/hlffi run" \
    gc_stress
else
  stage "conformance suite skipped: $conformance not found"
fi

if [[ ${#failed[@]} -gt 0 ]]; then
  stage "${#failed[@]} stage(s) failed:"
  printf '  - %s\n' "${failed[@]}"
  exit 1
fi
stage "all tests passed"
