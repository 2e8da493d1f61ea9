#!/usr/bin/env bash
# Runs every benchmark and prints the figures the README's Performance
# section reports. Needs the packages from .ci/install-deps and wrk.
#
#   bash tests/bench/run_benchmarks.sh [BUILD_DIR [SECTION...]]   (about 12 minutes)
#
# SECTIONs: spawn load scrape flood stall persistent pipeline (default: all).
# Run it on a quiet machine: the figures are CPU time and latency.
set -euo pipefail
cd "$(dirname "$0")/../.."
build=${1:-build}
shift || true
sections=" ${*:-spawn load scrape flood stall persistent pipeline} "
wanted() { [[ $sections == *" $1 "* ]]; }
if wanted scrape; then
  command -v wrk >/dev/null || { echo "wrk is needed: apt-get install wrk" >&2; exit 2; }
fi
# The raw output is kept: README's Performance rows for spawning and load
# are rendered from it (performance_rows.py, at the end), never typed.
mkdir -p tests/bench/results
results=tests/bench/results/$(date +%F).txt
[[ -e $results ]] && results=tests/bench/results/$(date +%F-%H%M).txt
exec > >(tee "$results") 2>&1
echo "saved in $results"

cmake -S . -B "$build" -G Ninja >/dev/null
targets="gleaner"
wanted spawn && targets+=" spawn_bench syscall_cost_bench"
wanted load && targets+=" load_bench cold_memory_bench"
wanted scrape && targets+=" scrape_bench"
wanted flood && targets+=" stream_flood_bench"
wanted stall && targets+=" stall_bench"
wanted pipeline && targets+=" pipeline_bench"
# shellcheck disable=SC2086  # one word per target
cmake --build "$build" -j2 --target $targets >/dev/null
bench="$build/tests/bench"

echo "machine: $(nproc) cores, $(awk '/MemTotal/ {printf "%.0f GiB", $2/1048576}' /proc/meminfo), $(uname -r), $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | sed 's/^ //')"
echo "commit: $(git rev-parse --short HEAD 2>/dev/null || echo unknown), $(date -u '+%F %H:%M UTC'), load average $(cut -d' ' -f1-3 /proc/loadavg)"
if wanted spawn; then
  echo
  echo "== spawn overhead: the subprocess layer against posix_spawn + waitpid, 5 rounds taking turns =="
  "$bench/spawn_bench" --rounds 5 2000
  "$bench/spawn_bench" --rounds 5 1000 /bin/sh -c ':'
  echo
  echo "== the same at a daemon's pace: each run 10 ms after the previous one ended =="
  "$bench/spawn_bench" --rounds 5 --gap-ms 10 500
  echo
  echo "== what each of a run's system calls costs alone (tests/bench/syscall_cost_bench.cpp) =="
  "$bench/syscall_cost_bench" 5
fi
if wanted load; then
  echo
  echo "== load: 100 collectors, a one-line shell script every second, 30 s, three runs =="
  for run in 1 2 3; do "$bench/load_bench" --collectors 100 --interval-ms 1000 --seconds 30; done
  echo
  echo "== growth in collectors =="
  "$bench/load_bench" --collectors 10 --interval-ms 1000 --seconds 20
  "$bench/load_bench" --collectors 100 --interval-ms 1000 --seconds 20
  for run in 1 2; do "$bench/load_bench" --collectors 1000 --interval-ms 10000 --seconds 30 --warmup-seconds 12; done
  echo "load average after: $(cut -d' ' -f1-3 /proc/loadavg)"
  echo
  echo "== the machine: reading memory again after it lay untouched (tests/bench/cold_memory_bench.cpp) =="
  "$bench/cold_memory_bench"
fi
if wanted scrape; then
  echo
  echo "== scrape: wrk, 4 connections, 10 s per encoding =="
  "$bench/scrape_bench" --series 1000 --seconds 10
  "$bench/scrape_bench" --series 10000 --seconds 10
  "$bench/scrape_bench" --series 100000 --seconds 10
  echo "-- while the collectors republish every second:"
  "$bench/scrape_bench" --series 10000 --interval-ms 1000 --seconds 10
fi
if wanted flood; then
  echo
  echo "== a stream flooding its output (yes), beside 5 collectors every 1 s; 20 s each =="
  raw="$build/stream_flood_raw.txt"
  : >"$raw"
  for flood in none yes invalid; do "$bench/stream_flood_bench" --flood "$flood" --seconds 20 --raw "$raw"; done
  echo "(every scrape's latency and the expositions: $raw)"
fi
if wanted stall; then
  echo
  echo "== stall: one collector printing a million series (the loop's longest wait) =="
  "$bench/stall_bench" --series 1000000
  "$bench/stall_bench" --series 1000000
fi
if wanted persistent; then
  echo
  echo "== a Python plugin every second: python3 started each tick (periodic) against kept up (persistent) =="
  python3 tests/bench/persistent_bench.py --gleaner "$build/gleaner" --collectors 10 --seconds 20 --rounds 3
fi
if wanted pipeline; then
  echo
  echo "== in-process pipeline: parse, publish, render =="
  "$bench/pipeline_bench" --benchmark_min_time=0.5
fi
if wanted spawn || wanted load; then
  echo
  echo "== README Performance rows (python3 tests/bench/performance_rows.py $results) =="
  sleep 1  # tee has written all of the above by then
  python3 tests/bench/performance_rows.py "$results"
fi
