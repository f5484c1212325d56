#!/usr/bin/env bash
# Benchmarks (not a test): compiles every ../shared/bench/<name>/Main.hx, checks that the
# `hlffi` runner prints its expected.stdout, times it and prints a markdown table.
#
# Side by side (the mode that counts): with HL_REF set to a reference HashLink 1.17 `hl`
# (a binary, or a wrapper script that sets LD_LIBRARY_PATH), each benchmark runs once on each
# VM as a warm-up (both outputs are checked against expected.stdout), then BENCH_RUNS times
# on each, alternating ours / HashLink. The table gives both medians, the ratio, both peak
# RSS figures and their ratio; below it, the geometric mean of the time ratios.
#
# Without HL_REF it times only ours and compares against the reference medians recorded in
# another session in ../shared/bench/REFERENCE.md (and says so): medians move about 25%
# between sessions on a 2-core machine, so only a side-by-side ratio is a measurement.
#
#   usage: scripts/bench.sh [NAME...]          (default: every benchmark)
#   env:   HL_REF       reference `hl` (default: unset, use REFERENCE.md)
#          HLFFI_ARGS   extra options for `hlffi run` before the file, e.g. --interp (default none)
#          HLFFI_BIN    our runner to time (default: target/release/hlffi, built first)
#          BENCH_DIR    (default ../shared/bench), BENCH_RUNS (default 5),
#          BENCH_TIMEOUT (seconds per run, default 600)
# Exits non-zero when a benchmark prints the wrong output or fails on either VM.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
cd "$root"
bench=${BENCH_DIR:-$root/../shared/bench}
runs=${BENCH_RUNS:-5}
limit=${BENCH_TIMEOUT:-600}
vm=${HLFFI_BIN:-$root/target/release/hlffi}
out_dir="$root/target/bench"
read -r -a vm_opts <<<"${HLFFI_ARGS:-}"
ref_vm=${HL_REF:-}

[[ -d $bench ]] || { echo "bench: no benchmarks at $bench" >&2; exit 2; }
[[ -x /usr/bin/time ]] || { echo "bench: /usr/bin/time is needed for peak RSS (apt-get install time)" >&2; exit 2; }
[[ $runs =~ ^[1-9][0-9]*$ ]] || { echo "bench: BENCH_RUNS must be a positive integer" >&2; exit 2; }
if [[ -n $ref_vm ]]; then
  [[ -x $ref_vm ]] || ref_vm=$(command -v "$ref_vm" || true)
  [[ -n $ref_vm && -x $ref_vm ]] || { echo "bench: HL_REF=${HL_REF} is not an executable" >&2; exit 2; }
fi
scripts/install-deps.sh
if [[ -z ${HLFFI_BIN:-} ]]; then
  echo "== building hlffi (release)" >&2
  cargo build --release -p hlffi --bin hlffi >&2
fi
[[ -x $vm ]] || { echo "bench: $vm is not an executable" >&2; exit 2; }
mkdir -p "$out_dir"

# Reference medians from the REFERENCE.md table: "| name | ... | seconds |" (fallback only).
declare -A reference=()
if [[ -z $ref_vm && -f $bench/REFERENCE.md ]]; then
  while read -r name secs; do reference[$name]=$secs; done < <(
    awk -F'|' 'NF > 3 {
      name = $2; secs = $(NF-1)
      gsub(/[ \t]/, "", name); gsub(/[ \t]/, "", secs)
      if (name ~ /^[a-z0-9_]+$/ && secs ~ /^[0-9]+(\.[0-9]+)?$/) print name, secs
    }' "$bench/REFERENCE.md")
fi

if [[ $# -gt 0 ]]; then
  names=("$@")
else
  names=()
  for d in "$bench"/*/; do [[ -f $d/Main.hx ]] && names+=("$(basename "$d")"); done
fi

now_ns() { date +%s%N; }
median() { printf '%s\n' "$@" | sort -n | awk '{ v[NR] = $1 } END { print v[int((NR + 1) / 2)] }'; }
div() { awk -v a="$1" -v b="$2" 'BEGIN { if (b > 0) printf "%.2f", a / b; else print "n/a" }'; }
mb() { awk -v kb="$1" 'BEGIN { printf "%.1f", kb / 1024 }'; }

# timed CMD...: runs CMD once with stdout discarded; sets run_secs and run_kb (peak RSS).
timed() {
  local stats start end
  stats=$(mktemp)
  start=$(now_ns)
  if ! /usr/bin/time -f "%M" -o "$stats" timeout -k 5 "$limit" "$@" >/dev/null </dev/null; then
    rm -f "$stats"; return 1
  fi
  end=$(now_ns)
  run_kb=$(tail -n 1 "$stats"); rm -f "$stats"
  run_secs=$(awk -v ns=$((end - start)) 'BEGIN { printf "%.3f", ns / 1e9 }')
}

# check LABEL NAME CMD...: warm-up run of CMD; its stdout must equal expected.stdout.
check() {
  local label=$1 name=$2; shift 2
  local actual="$out_dir/$name.$label.stdout"
  if ! timeout -k 5 "$limit" "$@" >"$actual" </dev/null; then
    echo "bench: $name failed or timed out (${limit}s) on the $label warm-up run" >&2
    return 1
  fi
  if ! cmp -s "$actual" "$bench/$name/expected.stdout"; then
    echo "bench: $name printed the wrong output on $label:" >&2
    diff "$bench/$name/expected.stdout" "$actual" | head -n 10 >&2 || true
    return 1
  fi
}

failed=0
rows=()
ratios=()
for name in "${names[@]}"; do
  dir="$bench/$name"
  if [[ ! -f $dir/Main.hx ]]; then
    echo "bench: no $dir/Main.hx" >&2; rows+=("| $name | missing | | | | | |"); failed=1; continue
  fi
  key=$(cat "$dir"/* 2>/dev/null | sha1sum | cut -c1-16)
  hl="$out_dir/$name-$key.hl"
  if [[ ! -f $hl ]]; then
    echo "== compiling $name" >&2
    if ! (cd "$dir" && haxe -cp "$dir" -main Main -hl "$hl.tmp") >"$out_dir/$name.compile.log" 2>&1; then
      echo "bench: haxe could not compile $name (see $out_dir/$name.compile.log)" >&2
      rows+=("| $name | compile error | | | | | |"); failed=1; continue
    fi
    mv "$hl.tmp" "$hl"
  fi
  ours=("$vm" run "${vm_opts[@]}" "$hl")
  theirs=("$ref_vm" "$hl")

  echo "== $name: warm-up and output check" >&2
  if ! check ours "$name" "${ours[@]}"; then
    rows+=("| $name | wrong output or failed | | | | | |"); failed=1; continue
  fi
  if [[ -n $ref_vm ]] && ! check hashlink "$name" "${theirs[@]}"; then
    rows+=("| $name | | HashLink: wrong output or failed | | | | |"); failed=1; continue
  fi

  ours_t=() ref_t=() ours_kb=0 ref_kb=0 ok=1
  for ((i = 1; i <= runs; i++)); do
    if ! timed "${ours[@]}"; then ok=0; break; fi
    ours_t+=("$run_secs"); (( run_kb > ours_kb )) && ours_kb=$run_kb
    line="   run $i: ours $run_secs s, $run_kb KB"
    if [[ -n $ref_vm ]]; then
      if ! timed "${theirs[@]}"; then ok=0; echo "$line" >&2; break; fi
      ref_t+=("$run_secs"); (( run_kb > ref_kb )) && ref_kb=$run_kb
      line+="; HashLink $run_secs s, $run_kb KB"
    fi
    echo "$line" >&2
  done
  if [[ $ok == 0 ]]; then
    rows+=("| $name | run failed | | | | | |"); failed=1; continue
  fi
  ours_med=$(median "${ours_t[@]}")
  if [[ -n $ref_vm ]]; then
    ref_med=$(median "${ref_t[@]}")
    ref_rss=$(mb "$ref_kb")
    rss_ratio="$(div "$ours_kb" "$ref_kb")x"
  else
    ref_med=${reference[$name]:-}
    ref_rss="n/a" rss_ratio="n/a"
  fi
  if [[ -n $ref_med ]] && awk -v b="$ref_med" 'BEGIN { exit !(b > 0) }'; then
    ratio="$(div "$ours_med" "$ref_med")x"
    ratios+=("$(awk -v a="$ours_med" -v b="$ref_med" 'BEGIN { print a / b }')")
  else
    ref_med=${ref_med:-n/a} ratio="n/a"
  fi
  rows+=("| $name | $ours_med | $ref_med | $ratio | $(mb "$ours_kb") | $ref_rss | $rss_ratio |")
done

echo
if [[ -n $ref_vm ]]; then
  echo "ours: $vm run${HLFFI_ARGS:+ $HLFFI_ARGS} X.hl; HashLink: $ref_vm X.hl (side by side, alternating)"
else
  echo "HL_REF is not set: HashLink times are the medians recorded in another session in"
  echo "$bench/REFERENCE.md, not measured now; set HL_REF=/path/to/hl for a side-by-side run."
fi
echo
echo "| benchmark | ours median (s) | HashLink median (s) | ratio | ours peak RSS (MB) | HashLink peak RSS (MB) | RSS ratio |"
echo "|---|---:|---:|---:|---:|---:|---:|"
printf '%s\n' "${rows[@]}"
echo
if [[ ${#ratios[@]} -gt 0 ]]; then
  printf '%s\n' "${ratios[@]}" |
    awk '{ s += log($1); n++ } END { printf "geometric mean of time ratios (ours / HashLink): %.2fx over %d benchmarks\n", exp(s / n), n }'
else
  echo "geometric mean of time ratios: n/a (no benchmark completed)"
fi
if [[ -n $ref_vm ]]; then
  echo "(median of $runs runs per VM after 1 warm-up each, alternating in this session)"
else
  echo "(median of $runs runs after 1 warm-up; HashLink timings come from another session, see $bench/REFERENCE.md)"
fi
exit $failed
