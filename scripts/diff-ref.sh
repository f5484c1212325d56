#!/usr/bin/env bash
# Differential check against the reference HashLink VM.
#
# Compiles every Haxe program of the repository's test folders (haxe-tests/haxe/*/,
# haxe-tests/diff/*/, ../shared/conformance/*/ when present) and of every folder given as
# argument, runs each on our VM (`hlffi run`) and on the reference VM named by HL_REF, and
# reports every program whose stdout or exit code differs: a short unified diff per program,
# then a summary line "N programs, M differences". Exit 1 when there is any difference (or a
# program does not compile), 0 otherwise.
#
# A program is a folder holding Main.hx, with an optional `flags` file (extra haxe arguments,
# first line, split on whitespace) and an optional `args` file (one program argument per line),
# the layout haxe-tests/src/lib.rs documents. An argument folder may be a program itself or a
# folder of programs. A program whose folder holds a `ref-differs` file (first line: why) differs
# from the reference on purpose: its diff is shown as known and not counted.
#
#   usage: scripts/diff-ref.sh [DIR...]
#   env:   HL_REF          the reference `hl` binary (required; the script skips without it)
#          HLFFI_BIN       our runner (default: built with `cargo build --profile ci -p hlffi`)
#          HLFFI_ARGS      extra options for `hlffi run`, e.g. `--interp`
#          DIFF_REF_TIMEOUT seconds per program run (default 60)
#          DIFF_REF_CACHE  compiled .hl cache (default ${TMPDIR:-/tmp}/hlffi-diff-ref-cache)
# Both VMs run with TZ=UTC, stdin from /dev/null, in a fresh empty working folder each.
# Nothing produced by the reference VM is written into the repository.
set -u
root=$(cd "$(dirname "$0")/.." && pwd)

if [[ -z ${HL_REF:-} ]]; then
  echo "diff-ref: skipped: set HL_REF to the reference HashLink binary (e.g. HL_REF=/path/to/hl)"
  exit 0
fi
[[ -x $HL_REF ]] || { echo "diff-ref: HL_REF=$HL_REF is not an executable file" >&2; exit 2; }
HL_REF=$(cd "$(dirname "$HL_REF")" && pwd)/$(basename "$HL_REF")
command -v haxe >/dev/null || { echo "diff-ref: haxe not found (scripts/install-deps.sh)" >&2; exit 2; }

if [[ -n ${HLFFI_BIN:-} ]]; then
  ours=$HLFFI_BIN
else
  (cd "$root" && cargo build --profile ci -p hlffi) || { echo "diff-ref: cannot build hlffi" >&2; exit 2; }
  target=${CARGO_TARGET_DIR:-$root/target}
  [[ $target == /* ]] || target=$root/$target
  ours=$target/ci/hlffi
fi
[[ -x $ours ]] || { echo "diff-ref: $ours is not an executable file" >&2; exit 2; }
# Programs run from their own folders: make both runners' paths absolute.
ours=$(cd "$(dirname "$ours")" && pwd)/$(basename "$ours")
read -r -a ours_args <<<"${HLFFI_ARGS:-}"

limit=${DIFF_REF_TIMEOUT:-60}
cache=${DIFF_REF_CACHE:-${TMPDIR:-/tmp}/hlffi-diff-ref-cache}
mkdir -p "$cache"
export TZ=UTC

# The program folders: the default ones, or those given (a folder of programs or a program).
dirs=()
add_programs() {
  local d
  if [[ -f $1/Main.hx ]]; then dirs+=("$(cd "$1" && pwd)"); return; fi
  for d in "$1"/*/; do [[ -f $d/Main.hx ]] && dirs+=("$(cd "$d" && pwd)"); done
}
if [[ $# -gt 0 ]]; then
  for arg in "$@"; do
    [[ -d $arg ]] || { echo "diff-ref: $arg is not a folder" >&2; exit 2; }
    add_programs "$arg"
  done
else
  add_programs "$root/haxe-tests/haxe"
  add_programs "$root/haxe-tests/diff"
  [[ -d $root/../shared/conformance ]] && add_programs "$root/../shared/conformance"
fi

# run OUT_PREFIX DIR HL CMD...: runs CMD HL ARGS in a fresh folder; writes OUT_PREFIX.out/.code.
run() {
  local prefix=$1 dir=$2 hl=$3; shift 3
  local prog_args=() work code
  [[ -f $dir/args ]] && mapfile -t prog_args <"$dir/args"
  work=$(mktemp -d)
  (cd "$work" && timeout -k 5 "$limit" "$@" "$hl" "${prog_args[@]}" >"$prefix.out" 2>"$prefix.err" </dev/null)
  code=$?
  [[ $code == 124 ]] && echo "(timed out after $limit s)" >>"$prefix.out"
  echo "$code" >"$prefix.code"
  rm -rf "$work"
}

tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
total=0 differ=0 known=0
for dir in "${dirs[@]}"; do
  total=$((total + 1))
  name=${dir#"$root/"}
  flags=(); [[ -f $dir/flags ]] && read -r -a flags <"$dir/flags"
  key=$( (haxe -version 2>&1; printf '%s\n' "${flags[@]}"; cd "$dir" && find . -type f ! -name 'expected.*' | LC_ALL=C sort | xargs cat) | sha1sum | cut -c1-16)
  hl=$cache/$(basename "$dir")-$key.hl
  if [[ ! -f $hl ]]; then
    if ! (cd "$dir" && haxe -cp "$dir" -main Main "${flags[@]}" -hl "$hl.tmp") >"$tmp/compile.log" 2>&1; then
      echo "=== $name: does not compile"; sed 's/^/    /' "$tmp/compile.log" | head -n 20
      differ=$((differ + 1)); rm -f "$hl.tmp"; continue
    fi
    mv "$hl.tmp" "$hl"
  fi
  run "$tmp/ref" "$dir" "$hl" "$HL_REF"
  run "$tmp/our" "$dir" "$hl" "$ours" run "${ours_args[@]}"
  ref_code=$(cat "$tmp/ref.code") our_code=$(cat "$tmp/our.code")
  if cmp -s "$tmp/ref.out" "$tmp/our.out" && [[ $ref_code == "$our_code" ]]; then
    continue
  fi
  if [[ -f $dir/ref-differs ]]; then
    known=$((known + 1))
    echo "=== $name: known difference ($(head -n 1 "$dir/ref-differs")), not counted"
  else
    differ=$((differ + 1))
    echo "=== $name: reference exit $ref_code, ours exit $our_code"
  fi
  diff -U 2 --label "reference" --label "hlffi" "$tmp/ref.out" "$tmp/our.out" | head -n 40
  if [[ $our_code != 0 && $our_code != "$ref_code" ]]; then head -c 400 "$tmp/our.err" | sed 's/^/    hlffi stderr: /'; fi
done
[[ $known == 0 ]] || echo "($known known differences not counted)"
echo "$total programs, $differ differences"
[[ $differ == 0 ]]
