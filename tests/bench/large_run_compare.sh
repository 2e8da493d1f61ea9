#!/usr/bin/env bash
# The daemon's CPU per run of one collector printing many series (80,000 by
# default, about 5 MB: awk writes them, the daemon reads, parses, admits and
# publishes them every second), for two builds of gleaner taking turns so
# that both see the same machine. CPU is the daemon's own
# (process_cpu_seconds_total), over the runs started in a 12 s window after a
# 4 s warm-up, nobody scraping but the two reads. The raw output is kept under
# tests/bench/results/, where README's figure comes from. Needs curl.
#
#   bash tests/bench/large_run_compare.sh OTHER_GLEANER [ROUNDS] [SERIES] [BUILD_DIR]
#
# OTHER_GLEANER is labelled "before"; BUILD_DIR/gleaner (default build) "after".
set -euo pipefail
cd "$(dirname "$0")/../.."
other=$(realpath "$1")
rounds=${2:-3}
series=${3:-80000}
build=${4:-build}
command -v curl >/dev/null || { echo "curl is needed" >&2; exit 2; }
mkdir -p tests/bench/results
n=1  # numbered: earlier runs of the day stay
while [ -e "tests/bench/results/$(date +%F)-large-run-$n.txt" ]; do n=$((n + 1)); done
results=tests/bench/results/$(date +%F)-large-run-$n.txt
exec > >(tee "$results") 2>&1
echo "saved in $results"
echo "machine: $(nproc) cores, $(uname -r), $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | sed 's/^ //')"
echo "before: $other"
echo "after: $build/gleaner ($(git rev-parse --short HEAD 2>/dev/null || echo unknown))"

dir=$(mktemp -d /tmp/gleaner-large-run-XXXXXX)
trap 'rm -rf "$dir"' EXIT
cat >"$dir/series.sh" <<SCRIPT
#!/bin/sh
awk -v value="\$1" -v count=$series 'BEGIN {
  print "# TYPE large_value gauge"
  for (i = 0; i < count; i++) printf "large_value{device=\"/dev/sd%d\",mountpoint=\"/srv/data/%d\"} %s\n", i, i, value
}'
SCRIPT
chmod +x "$dir/series.sh"
cat >"$dir/gleaner.yaml" <<YAML
limits: {max_series: $((series + 1000))}
collectors:
  - {name: large, plugin: exec, interval: 1s, max_output: 64MiB, shell: '$dir/series.sh \$(date +%s%N)'}
YAML

measure() {  # label, gleaner binary
  local port=$((20000 + RANDOM % 20000))
  "$2" --config "$dir/gleaner.yaml" --listen "127.0.0.1:$port" >/dev/null 2>&1 &
  local pid=$!
  state() { curl -s "http://127.0.0.1:$port/metrics" | awk '/^process_cpu_seconds_total/ {c = $2} /^gleaner_collector_runs_total/ {r = $2} END {print c, r}'; }
  sleep 4
  local first second
  first=$(state)
  sleep 12
  second=$(state)
  kill "$pid"
  wait "$pid" 2>/dev/null || true
  echo "$first $second" | awk -v label="$1" -v load="$(cut -d' ' -f1 /proc/loadavg)" \
    '{printf "%s: %.3f s of daemon CPU per run (%d runs, load average %s)\n", label, ($3 - $1) / ($4 - $2), $4 - $2, load}'
}

for round in $(seq "$rounds"); do
  echo "== round $round, $series series a run"
  measure before "$other"
  measure after "$build/gleaner"
done
