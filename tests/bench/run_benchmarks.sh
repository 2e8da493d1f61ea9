#!/usr/bin/env bash
# Runs every benchmark and prints the figures the README's Performance
# section reports. Needs the packages from .ci/install-deps and wrk.
#
#   bash tests/bench/run_benchmarks.sh [BUILD_DIR]      (about 10 minutes)
#
# Run it on a quiet machine: the figures are CPU time and latency.
set -euo pipefail
cd "$(dirname "$0")/../.."
build=${1:-build}
command -v wrk >/dev/null || { echo "wrk is needed: apt-get install wrk" >&2; exit 2; }
# The raw output is kept: README's Performance figures are taken from it.
mkdir -p tests/bench/results
results=tests/bench/results/$(date +%F).txt
exec > >(tee "$results") 2>&1
echo "saved in $results"

cmake -S . -B "$build" -G Ninja >/dev/null
cmake --build "$build" -j2 --target gleaner spawn_bench load_bench scrape_bench stream_flood_bench stall_bench pipeline_bench >/dev/null
bench="$build/tests/bench"

echo "machine: $(nproc) cores, $(awk '/MemTotal/ {printf "%.0f GiB", $2/1048576}' /proc/meminfo), $(uname -r), $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | sed 's/^ //')"
echo
echo "== spawn overhead: the subprocess layer against posix_spawn + waitpid =="
"$bench/spawn_bench" 3000
"$bench/spawn_bench" 2000 /bin/sh -c ':'
echo
echo "== load: 100 collectors, a one-line shell script every second, 30 s =="
"$bench/load_bench" --collectors 100 --interval-ms 1000 --seconds 30
echo
echo "== growth in collectors =="
"$bench/load_bench" --collectors 10 --interval-ms 1000 --seconds 20
"$bench/load_bench" --collectors 100 --interval-ms 1000 --seconds 20
"$bench/load_bench" --collectors 1000 --interval-ms 10000 --seconds 30 --warmup-seconds 12
echo
echo "== scrape: wrk, 4 connections, 10 s per encoding =="
"$bench/scrape_bench" --series 1000 --seconds 10
"$bench/scrape_bench" --series 10000 --seconds 10
"$bench/scrape_bench" --series 100000 --seconds 10
echo "-- while the collectors republish every second:"
"$bench/scrape_bench" --series 10000 --interval-ms 1000 --seconds 10
echo
echo "== a stream flooding its output (yes), beside 5 collectors every 1 s; 20 s each =="
raw="$build/stream_flood_raw.txt"
: >"$raw"
for flood in none yes invalid; do "$bench/stream_flood_bench" --flood "$flood" --seconds 20 --raw "$raw"; done
echo "(every scrape's latency and the expositions: $raw)"
echo
echo "== stall: one collector printing a million series (the loop's longest wait) =="
"$bench/stall_bench" --series 1000000
"$bench/stall_bench" --series 1000000
echo
echo "== a Python plugin every second: python3 started each tick (periodic) against kept up (persistent) =="
python3 tests/bench/persistent_bench.py --gleaner "$build/gleaner" --collectors 10 --seconds 20 --rounds 3
echo
echo "== in-process pipeline: parse, publish, render =="
"$bench/pipeline_bench" --benchmark_min_time=0.5
