#!/usr/bin/env bash
# Scrapes of 10k series by wrk (2 threads, 4 connections, 10 s per
# encoding), static and while 10 collectors republish every second, for two
# builds of gleaner, interleaved round by round so that both see the same
# machine; then the heap allocations per scrape of each. The raw output is
# kept under tests/bench/results/, where README's scrape figures come from.
#
#   bash tests/bench/scrape_compare.sh OTHER_GLEANER [ROUNDS] [BUILD_DIR]
#
# OTHER_GLEANER is the gleaner to compare with (say, main's), labelled
# "before"; the one in BUILD_DIR (default build) is "after".
set -euo pipefail
cd "$(dirname "$0")/../.."
other=$(realpath "$1")
rounds=${2:-3}
build=${3:-build}
bench="$build/tests/bench/scrape_bench"
command -v wrk >/dev/null || { echo "wrk is needed: apt-get install wrk" >&2; exit 2; }
mkdir -p tests/bench/results
n=1  # numbered: earlier runs of the day stay
while [ -e "tests/bench/results/$(date +%F)-scrape-compare-$n.txt" ]; do n=$((n + 1)); done
results=tests/bench/results/$(date +%F)-scrape-compare-$n.txt
exec > >(tee "$results") 2>&1
echo "saved in $results"
echo "machine: $(nproc) cores, $(uname -r), $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | sed 's/^ //')"
echo "before: $other"
echo "after: $build/gleaner"

run() {  # label, scrape_bench arguments...
  local label=$1
  shift
  echo "-- $label, load average $(cut -d' ' -f1-3 /proc/loadavg): scrape_bench $*"
  if [ "$label" = before ]; then "$bench" --gleaner "$other" "$@"; else "$bench" "$@"; fi
}

for round in $(seq "$rounds"); do
  echo "== round $round"
  for label in before after; do
    run "$label" --series 10000 --seconds 10
    run "$label" --series 10000 --interval-ms 1000 --seconds 10
  done
done
echo "== heap allocations per scrape (1,000 scrapes per encoding on one kept-alive connection, static series)"
for label in before after; do
  run "$label" --series 10000 --count-allocations 1000
done
