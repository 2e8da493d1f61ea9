#!/usr/bin/env bash
# The daemon's CPU per run, its RSS and its lateness under load_bench, for
# two builds of gleaner taking turns run by run, so that both see the same
# machine (this VM's cost of touching memory again varies by the hour:
# README "Performance"). Each round runs 100 collectors of a one-line `sh -c`
# every 1 s for 20 s with each build in turn, the first of each round
# alternating; then 1,000 collectors every 10 s for 30 s, in turns, for up
# to two rounds. The raw output is kept
# under tests/bench/results/, where README's figures come from, and ends
# with a summary per build and load: the median and range of each figure.
#
#   bash tests/bench/load_compare.sh OTHER_BUILD_DIR [ROUNDS] [BUILD_DIR]
#
# OTHER_BUILD_DIR is labelled "before", BUILD_DIR (default build) "after";
# each holds tests/bench/load_bench, which runs that build's gleaner
# (a worktree of the older commit: `git worktree add DIR COMMIT`, then
# `cmake -S DIR -B DIR/build -G Ninja && cmake --build DIR/build --target load_bench`).
set -euo pipefail
cd "$(dirname "$0")/../.."
other=$(realpath "$1")
rounds=${2:-3}
build=$(realpath "${3:-build}")
for dir in "$other" "$build"; do
  if [ ! -x "$dir/tests/bench/load_bench" ]; then
    echo "no $dir/tests/bench/load_bench: cmake --build $dir --target load_bench" >&2
    exit 2
  fi
done
mkdir -p tests/bench/results
n=1  # numbered: earlier runs of the day stay
while [ -e "tests/bench/results/$(date +%F)-load-compare-$n.txt" ]; do n=$((n + 1)); done
results=tests/bench/results/$(date +%F)-load-compare-$n.txt
exec > >(tee "$results") 2>&1
raw=$(mktemp /tmp/gleaner-load-compare-XXXXXX)  # the runs alone, for the summary
trap 'rm -f "$raw"' EXIT
commit_of() { git -C "$1" rev-parse --short HEAD 2>/dev/null || echo unknown; }
echo "saved in $results"
echo "# bash tests/bench/load_compare.sh $*"
echo "machine: $(nproc) cores, $(uname -r), $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | sed 's/^ //')"
echo "before: $other ($(commit_of "$other")); after: $build ($(commit_of "$build"))"
echo "start: $(date -u '+%F %H:%M UTC'), load average $(cut -d' ' -f1-3 /proc/loadavg)"

in_turns() {  # load label, rounds, load_bench flags...
  local load=$1 count=$2
  shift 2
  for round in $(seq "$count"); do
    # Which goes first alternates: run second in every round, a build
    # measured 5-10 % more CPU per run, whichever it was (results
    # 2026-12-01-load-compare-2.txt and -3.txt, the same two builds swapped).
    local sides="before after"
    [ $((round % 2)) -eq 0 ] && sides="after before"
    for side in $sides; do
      local dir=$other
      [ "$side" = after ] && dir=$build
      { echo "== $side, $load, round $round"; "$dir/tests/bench/load_bench" "$@"; } | tee -a "$raw"
    done
  done
}
in_turns "100 x 1 s" "$rounds" --collectors 100 --interval-ms 1000 --seconds 20
in_turns "1000 x 10 s" "$((rounds < 2 ? rounds : 2))" --collectors 1000 --interval-ms 10000 --seconds 30 --warmup-seconds 12
echo "end: $(date -u '+%F %H:%M UTC'), load average $(cut -d' ' -f1-3 /proc/loadavg)"

echo "== summary: median (min-max) of the rounds"
awk '
  /^== (before|after), / { key = $2 " " $3 " " $4 " " $5 " " $6; sub(/,$/, "", key); next }
  /daemon_cpu_per_run=/ {
    for (i = 1; i <= NF; i++) {
      split($i, kv, "=")
      if (kv[1] == "daemon_cpu_per_run" || kv[1] == "rss" || kv[1] == "lateness_p99") {
        value = kv[2]; sub(/[a-zA-Z]+$/, "", value)
        n = ++count[key, kv[1]]; values[key, kv[1], n] = value + 0
      }
    }
    if (!(key in seen)) { seen[key] = 1; order[++keys] = key }
  }
  function spread(key, name, unit,    n, i, j, t, v, median) {
    n = count[key, name]
    for (i = 1; i <= n; i++) v[i] = values[key, name, i]
    for (i = 1; i <= n; i++) for (j = i + 1; j <= n; j++) if (v[j] < v[i]) { t = v[i]; v[i] = v[j]; v[j] = t }
    median = n % 2 ? v[(n + 1) / 2] : (v[n / 2] + v[n / 2 + 1]) / 2
    return sprintf("%.1f%s (%.1f-%.1f)", median, unit, v[1], v[n])
  }
  END {
    for (k = 1; k <= keys; k++) {
      key = order[k]
      printf "summary %s: daemon CPU per run %s, RSS %s, lateness p99 %s, %d rounds\n", key,
             spread(key, "daemon_cpu_per_run", " us"), spread(key, "rss", " MiB"),
             spread(key, "lateness_p99", " ms"), count[key, "rss"]
    }
  }' "$raw"
