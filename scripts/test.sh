#!/usr/bin/env bash
# All tests: unit and integration tests of every crate (the `ci` profile: release
# optimisation without LTO; the interpreter is
# slow in debug) with each engine — the default (tiered JIT), every function compiled
# (HLVM_JIT=eager) and the interpreter alone (HLVM_JIT=0) —, the embedding API suites
# under GC stress with both engines, then the shared conformance suite on the `hlffi`
# binary with each engine, and with the GC collecting at every allocation
# (HLVM_GC_STRESS=1). Every stage runs even when an earlier one failed; the script exits
# non-zero when any stage failed.
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

run_stage "cargo test --workspace --profile ci" cargo test --workspace --profile ci --no-fail-fast

# with_env NAME=VALUE... -- COMMAND...: runs COMMAND with those variables exported.
with_env() (
  while [[ $1 != -- ]]; do export "$1"; shift; done
  shift
  "$@"
)
run_stage "cargo test, every function compiled: HLVM_JIT=eager" \
  with_env HLVM_JIT=eager HLVM_JIT_VERIFY=1 -- cargo test --workspace --profile ci --no-fail-fast
run_stage "cargo test, interpreter only: HLVM_JIT=0" \
  with_env HLVM_JIT=0 -- cargo test --workspace --profile ci --no-fail-fast

# The embedding API suites again with the GC collecting at every safepoint: handles,
# arguments, callbacks and compiled frames must keep their values rooted.
for jit in eager 0; do
  run_stage "embedding API suites under GC stress: HLVM_GC_STRESS=1 HLVM_JIT=$jit cargo test -p haxe-tests --test 'api_*'" \
    with_env HLVM_GC_STRESS=1 HLVM_JIT=$jit -- cargo test --profile ci -p haxe-tests --test 'api_*'
done

# The C API as a host sees it: install into a scratch prefix, build the C example with
# pkg-config, run it (the C test programs themselves run in `cargo test`).
capi_install() (
  set -e
  prefix="$root/target/capi-prefix"
  rm -rf "$prefix"
  HLFFI_CAPI_PROFILE=ci scripts/install-capi.sh "$prefix"
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
  run_stage "cargo build --profile ci -p hlffi --bin hlffi" cargo build --profile ci -p hlffi --bin hlffi
  # run.sh runs the VM command from inside each case folder: give it an absolute path.
  runner="$root/target/ci/hlffi"
  run_stage "conformance: ../shared/conformance/run.sh target/ci/hlffi run" \
    "$conformance/run.sh" "$runner" run
  for jit in eager 0; do
    run_stage "conformance: HLVM_JIT=$jit ../shared/conformance/run.sh target/ci/hlffi run" \
      with_env HLVM_JIT=$jit -- "$conformance/run.sh" "$runner" run
    run_stage "conformance under GC stress: HLVM_GC_STRESS=1 HLVM_JIT=$jit ../shared/conformance/run.sh target/ci/hlffi run" \
      with_env HLVM_GC_STRESS=1 HLVM_JIT=$jit -- "$conformance/run.sh" "$runner" run
  done
else
  stage "conformance suite skipped: $conformance not found"
fi

if [[ ${#failed[@]} -gt 0 ]]; then
  stage "${#failed[@]} stage(s) failed:"
  printf '  - %s\n' "${failed[@]}"
  exit 1
fi
stage "all tests passed"
