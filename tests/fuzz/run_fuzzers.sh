#!/usr/bin/env bash
# Builds (when needed) and runs every fuzz target for its share of the time:
#
#   tests/fuzz/run_fuzzers.sh SECONDS_TOTAL [BUILD_DIR]
#
# BUILD_DIR (default: build-fuzz at the top of the source tree) is a clang
# build folder of its own; it is configured here if it is not one yet.
# Everything the fuzzers write stays in BUILD_DIR/tests/fuzz/: the working
# corpus (corpus/<target>, grown from the seeds in seeds/<target>), crash
# reproducers (artifacts/<target>/) and logs (logs/<target>.log).
#
# Prints one line per target and exits non-zero when any target found a
# crash, leak, timeout or out-of-memory, naming the reproducer.
#
# Environment:
#   FUZZ_TARGETS      only these targets (space-separated names)
#   FUZZ_ARGS         more libFuzzer flags, e.g. "-max_len=65536"
#   FUZZ_BUILD_JOBS   parallel compile jobs (default 2)
#   FUZZ_CXX          the clang++ to configure with (default clang++-14)
set -euo pipefail

usage() {
  echo "usage: $0 SECONDS_TOTAL [BUILD_DIR]" >&2
  exit 2
}
[[ $# -ge 1 && $# -le 2 && $1 =~ ^[0-9]+$ && $1 -gt 0 ]] || usage

total_seconds=$1
source_dir=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
build_dir=${2:-$source_dir/build-fuzz}
fuzz_dir=$build_dir/tests/fuzz

all_targets=(fuzz_prometheus_parser fuzz_value_parser fuzz_keyvalue_parser fuzz_table_parser fuzz_regex_parser
             fuzz_json_parser fuzz_nagios_parser fuzz_influx_parser fuzz_parser_config fuzz_config_loader fuzz_exposition
             fuzz_apt_output fuzz_mdstat fuzz_chrony_tracking fuzz_smartctl_output fuzz_df_output
             fuzz_record_splitter fuzz_http_headers)
read -r -a targets <<<"${FUZZ_TARGETS:-${all_targets[*]}}"
read -r -a extra_args <<<"${FUZZ_ARGS:-}"

# --- build --------------------------------------------------------------------
if [[ ! -f $build_dir/CMakeCache.txt ]]; then
  generator=()
  command -v ninja >/dev/null && generator=(-G Ninja)
  cmake -S "$source_dir" -B "$build_dir" "${generator[@]}" -DCMAKE_CXX_COMPILER="${FUZZ_CXX:-clang++-14}" \
    -DGLEANER_BUILD_FUZZ=ON -DGLEANER_BUILD_TESTS=OFF -DGLEANER_BUILD_BENCH=OFF >/dev/null
elif ! grep -q '^GLEANER_BUILD_FUZZ:BOOL=ON' "$build_dir/CMakeCache.txt"; then
  echo "$build_dir is not a fuzz build folder (GLEANER_BUILD_FUZZ is not ON); give another BUILD_DIR" >&2
  exit 2
fi
cmake --build "$build_dir" --target "${targets[@]}" -j "${FUZZ_BUILD_JOBS:-2}"

# --- run ----------------------------------------------------------------------
seconds_each=$((total_seconds / ${#targets[@]}))
((seconds_each >= 1)) || seconds_each=1

symbolizer=$(command -v llvm-symbolizer-14 || command -v llvm-symbolizer || true)
export ASAN_OPTIONS=${ASAN_OPTIONS:-detect_leaks=1:abort_on_error=0}
export UBSAN_OPTIONS=${UBSAN_OPTIONS:-print_stacktrace=1:halt_on_error=1}
[[ -n $symbolizer ]] && export ASAN_SYMBOLIZER_PATH=$symbolizer UBSAN_SYMBOLIZER_PATH=$symbolizer

mkdir -p "$fuzz_dir/logs"
failed=0
reproducers=()
rows=()
for target in "${targets[@]}"; do
  corpus=$fuzz_dir/corpus/$target
  artifacts=$fuzz_dir/artifacts/$target
  log=$fuzz_dir/logs/$target.log
  mkdir -p "$corpus" "$artifacts"
  before=$(find "$artifacts" -type f | sort)

  dict=()
  [[ -f $source_dir/tests/fuzz/dicts/$target.dict ]] && dict=(-dict="$source_dir/tests/fuzz/dicts/$target.dict")

  status=0
  # The working corpus comes first: libFuzzer adds what it finds there, and
  # only reads the seeds.
  "$fuzz_dir/$target" -max_total_time="$seconds_each" -rss_limit_mb=2048 -timeout=10 -print_final_stats=1 \
    -artifact_prefix="$artifacts/" "${dict[@]}" "${extra_args[@]}" "$corpus" "$fuzz_dir/seeds/$target" >"$log" 2>&1 ||
    status=$?

  # A crash while reading the corpus comes before any statistics.
  runs=$(sed -n 's/^stat::number_of_executed_units: *//p' "$log" | tail -1)
  coverage=$( (grep -o 'cov: [0-9]* ft: [0-9]*' "$log" || true) | tail -1 | awk '{print $2 "/" $4}')
  new=$(comm -13 <(echo "$before") <(find "$artifacts" -type f | sort) | sed '/^$/d')
  crashes=$(echo -n "$new" | grep -c . || true)
  result=ok
  if ((status != 0 || crashes > 0)); then
    failed=1
    result="FAILED (exit $status)"
    while read -r file; do
      if [[ -n $file ]]; then reproducers+=("$target $file"); fi
    done <<<"$new"
    ((crashes > 0)) || reproducers+=("$target (no reproducer; see $log)")
  fi
  rows+=("$(printf '%-24s %8s %12s %12s %8s  %s' "$target" "$seconds_each" "${runs:-?}" "${coverage:-?}" "$crashes" "$result")")
done

printf '\n%-24s %8s %12s %12s %8s  %s\n' target seconds runs "cov/features" crashes result
printf '%s\n' "${rows[@]}"
echo "logs: $fuzz_dir/logs/"
if ((failed)); then
  echo
  echo "reproduce with: $fuzz_dir/<target> <file>"
  for line in "${reproducers[@]}"; do echo "  $line"; done
  exit 1
fi
