#!/usr/bin/env bash
# Benchmarks (not a test): compiles every ../shared/bench/<name>/Main.hx, checks that the
# `hlffi` runner prints its expected.stdout, then times `target/release/hlffi run` (one
# warm-up run, then BENCH_RUNS timed runs, median wall-clock) and prints a markdown table
# against the reference HashLink 1.17 timings of ../shared/bench/REFERENCE.md, with the
# peak RSS and the geometric mean of the ratios. The reference was measured in another
# session: medians move about 25% between sessions on a 2-core machine.
#   usage: scripts/bench.sh [NAME...]          (default: every benchmark)
#   env:   BENCH_DIR (default ../shared/bench), BENCH_RUNS (default 3),
#          BENCH_TIMEOUT (seconds per run, default 600)
# Exits non-zero when a benchmark prints the wrong output or fails.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
cd "$root"
bench=${BENCH_DIR:-$root/../shared/bench}
runs=${BENCH_RUNS:-3}
limit=${BENCH_TIMEOUT:-600}
vm="$root/target/release/hlffi"
out_dir="$root/target/bench"

[[ -d $bench ]] || { echo "bench: no benchmarks at $bench" >&2; exit 2; }
[[ -x /usr/bin/time ]] || { echo "bench: /usr/bin/time is needed for peak RSS (apt-get install time)" >&2; exit 2; }
scripts/install-deps.sh
echo "== building hlffi (release)" >&2
cargo build --release -p hlffi --bin hlffi >&2
mkdir -p "$out_dir"

# Reference medians from the REFERENCE.md table: "| name | ... | seconds |".
declare -A reference=()
if [[ -f $bench/REFERENCE.md ]]; then
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
failed=0
rows=()
ratios=()
for name in "${names[@]}"; do
  dir="$bench/$name"
  if [[ ! -f $dir/Main.hx ]]; then
    echo "bench: no $dir/Main.hx" >&2; rows+=("| $name | missing | | | |"); failed=1; continue
  fi
  key=$(cat "$dir"/* 2>/dev/null | sha1sum | cut -c1-16)
  hl="$out_dir/$name-$key.hl"
  if [[ ! -f $hl ]]; then
    echo "== compiling $name" >&2
    if ! (cd "$dir" && haxe -cp "$dir" -main Main -hl "$hl.tmp") >"$out_dir/$name.compile.log" 2>&1; then
      echo "bench: haxe could not compile $name (see $out_dir/$name.compile.log)" >&2
      rows+=("| $name | compile error | | | |"); failed=1; continue
    fi
    mv "$hl.tmp" "$hl"
  fi

  echo "== $name: warm-up and output check" >&2
  actual="$out_dir/$name.stdout"
  if ! timeout -k 5 "$limit" "$vm" run "$hl" >"$actual" </dev/null; then
    echo "bench: $name failed or timed out (${limit}s) on the warm-up run" >&2
    rows+=("| $name | run failed | | | |"); failed=1; continue
  fi
  if ! cmp -s "$actual" "$dir/expected.stdout"; then
    echo "bench: $name printed the wrong output:" >&2
    diff "$dir/expected.stdout" "$actual" | head -n 10 >&2 || true
    rows+=("| $name | wrong output | | | |"); failed=1; continue
  fi

  times=() peak_kb=0 ok=1
  for ((i = 1; i <= runs; i++)); do
    stats=$(mktemp)
    start=$(now_ns)
    if ! /usr/bin/time -f "%e %M" -o "$stats" timeout -k 5 "$limit" "$vm" run "$hl" >/dev/null </dev/null; then
      ok=0; rm -f "$stats"; break
    fi
    end=$(now_ns)
    read -r _ kb <"$stats"; rm -f "$stats"
    times+=("$(awk -v ns=$((end - start)) 'BEGIN { printf "%.3f", ns / 1e9 }')")
    (( kb > peak_kb )) && peak_kb=$kb
    echo "   run $i: ${times[-1]} s, ${kb} KB" >&2
  done
  if [[ $ok == 0 ]]; then
    rows+=("| $name | run failed | | | |"); failed=1; continue
  fi
  median=$(printf '%s\n' "${times[@]}" | sort -n | awk '{ v[NR] = $1 } END { print v[int((NR + 1) / 2)] }')
  rss=$(awk -v kb="$peak_kb" 'BEGIN { printf "%.1f", kb / 1024 }')
  ref=${reference[$name]:-}
  if [[ -n $ref ]]; then
    ratio=$(awk -v a="$median" -v b="$ref" 'BEGIN { printf "%.2f", a / b }')
    ratios+=("$(awk -v a="$median" -v b="$ref" 'BEGIN { print a / b }')")
    rows+=("| $name | $median | $ref | ${ratio}x | $rss |")
  else
    rows+=("| $name | $median | n/a | n/a | $rss |")
  fi
done

echo
echo "| benchmark | hlffi median (s) | reference HL 1.17 JIT (s) | ratio | peak RSS (MB) |"
echo "|---|---:|---:|---:|---:|"
printf '%s\n' "${rows[@]}"
echo
if [[ ${#ratios[@]} -gt 0 ]]; then
  printf '%s\n' "${ratios[@]}" |
    awk '{ s += log($1); n++ } END { printf "geometric mean of ratios: %.2fx over %d benchmarks\n", exp(s / n), n }'
else
  echo "geometric mean of ratios: n/a (no benchmark completed)"
fi
echo "(median of $runs runs after 1 warm-up; reference timings come from another session, see $bench/REFERENCE.md)"
exit $failed
