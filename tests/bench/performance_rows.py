#!/usr/bin/env python3
"""Renders README's Performance rows for spawning and load from the saved
output of run_benchmarks.sh, so that no figure there is typed by hand.

    python3 tests/bench/performance_rows.py tests/bench/results/DATE.txt

Reads the `summary` lines of spawn_bench and the key=value lines of
load_bench (one per run; a configuration run several times is reported as
its median with the range), and prints the rows as README has them.
"""

import re
import statistics
import sys


def spread(values, fmt):
    """'median (min–max)', or the value alone when there is one."""
    values = sorted(values)
    median = fmt.format(statistics.median(values))
    if len(values) == 1 or fmt.format(values[0]) == fmt.format(values[-1]):
        return median
    return f"{median} ({fmt.format(values[0])}–{fmt.format(values[-1])})"


def parse(text):
    spawns = []  # (command, launcher, fields), in order
    loads = []  # dicts of load_bench's fields
    command = None
    for line in text.splitlines():
        started = re.match(r"\d+ rounds of \d+ runs of ([^\s,]+)(?:.*each run (\d+) ms after)?", line)
        if started:
            command = (started.group(1), int(started.group(2) or 0))  # and the gap between runs
            continue
        if line.startswith("summary "):
            parts = [part.strip() for part in line[len("summary "):].split("|")]
            fields = {}
            for part in parts[1:]:
                name, _, value = part.partition(" ")
                fields[name] = value
            spawns.append((command, parts[0], fields))
            continue
        if line.startswith("collectors="):
            loads.append(dict(field.split("=", 1) for field in line.split()))
    return spawns, loads


def spawn_rows(spawns):
    """Two rows a command: parent CPU against the limit's, then the total."""
    by_command = {}
    for command, launcher, fields in spawns:
        by_command.setdefault(command, {})[launcher] = fields
    names = {"/bin/true": "`/bin/true`", "/bin/sh": "`/bin/sh -c :`"}
    rows = []

    def ratio(fields, key):
        """'1.93 (1.92-2.18)' → '1.93× (1.92–2.18)'."""
        median, _, rest = fields[key].partition(" ")
        return f"{median}× {rest.replace('-', '–')}".strip()

    for (command, gap), launchers in by_command.items():
        one = launchers.get("gleaner layer, 1 in flight")
        many = launchers.get("gleaner layer, 16 in flight")
        limit = launchers.get("posix_spawn + waitpid (limit)")
        name = names.get(command, f"`{command}`")
        if gap and one and limit:
            rows.append(
                f"| spawn {name} at a daemon's pace, each run {gap} ms after the previous one ended (on a timer "
                f"of the loop): the parent's CPU per run against posix_spawn + waitpid's at that pace "
                f"({one['parent_us']} µs against {limit['limit_parent_us']} µs) "
                f"| {ratio(one, 'parent/limit')}; parent + children {ratio(one, 'total/limit')} | |")
            continue
        if not (one and many and limit):
            continue

        rows.append(
            f"| spawn {name}, the parent's CPU per run against posix_spawn + waitpid's "
            f"({one['parent_us']} µs against {limit['limit_parent_us']} µs, one in flight) "
            f"| {ratio(one, 'parent/limit')} one in flight, {ratio(many, 'parent/limit')} 16 in flight | ≤ 2× |")
        rows.append(
            f"| … parent + children CPU per run, the same "
            f"| {ratio(one, 'total/limit')}, {ratio(many, 'total/limit')} | ≤ 1.2× |")
    return rows


def number(value):
    return float(re.sub(r"[^0-9.]", "", value))


def load_key(load):
    return (int(load["collectors"]), int(load["interval"].rstrip("ms")), round(number(load["seconds"]), -1))


def grouped(loads):
    groups = {}
    for load in loads:
        groups.setdefault(load_key(load), []).append(load)
    return groups


def column(group, key, fmt):
    return spread([number(load[key]) for load in group], fmt)


def describe(collectors, interval_ms):
    interval = f"{interval_ms // 1000} s" if interval_ms % 1000 == 0 else f"{interval_ms} ms"
    return f"{collectors:,} × {interval}"


def runs_text(group):
    runs = sum(number(load["runs"]) for load in group)
    expected = sum(number(load["expected"]) for load in group)
    skipped = sum(number(load["skipped"]) for load in group)
    failures = sum(number(load["failures"]) for load in group)
    return runs, expected, skipped, failures


def load_rows(loads):
    groups = grouped(loads)
    rows = []
    main = groups.get((100, 1000, 30))
    if main:
        runs, expected, skipped, failures = runs_text(main)
        rows += [
            f"| 100 collectors, `sh -c` every 1 s, 30 s, {len(main)} runs: runs completed "
            f"| {runs:.0f} of {expected:.0f}, {skipped:.0f} skipped, {failures:.0f} failed | all |",
            f"| … the daemon's own CPU | {column(main, 'daemon_cpu', '{:.2f} %')}; "
            f"per run {column(main, 'daemon_cpu_per_run', '{:.0f} µs')} | < 2 % |",
            f"| … total CPU, daemon + children | {column(main, 'total_cpu', '{:.1f} %')} | |",
            f"| … lateness p50 / p99 | {column(main, 'lateness_p50', '{:.2f} ms')} / "
            f"{column(main, 'lateness_p99', '{:.1f} ms')} | p99 < 5 ms |",
        ]
    growth = []
    for key in sorted(groups):
        collectors, interval_ms, seconds = key
        if key == (100, 1000, 30) and len(groups) > 1:
            continue  # the main run above; the growth table has its own 20 s run
        group = groups[key]
        runs, expected, _, _ = runs_text(group)
        growth.append(
            f"| {describe(collectors, interval_ms)} | {column(group, 'daemon_cpu', '{:.2f} %')} "
            f"| {column(group, 'total_cpu', '{:.1f} %')} | {column(group, 'rss', '{:.1f} MiB')} "
            f"| {column(group, 'lateness_p99', '{:.1f} ms')} | {runs:.0f} / {expected:.0f} |")
    if growth:
        rows += ["", "| collectors × interval | daemon CPU | total CPU | RSS | lateness p99 | runs |",
                 "| --- | --- | --- | --- | --- | --- |"] + growth
    return rows


def main():
    if len(sys.argv) != 2:
        sys.exit(__doc__)
    with open(sys.argv[1], encoding="utf-8") as file:
        spawns, loads = parse(file.read())
    for row in spawn_rows(spawns) + load_rows(loads):
        print(row)


if __name__ == "__main__":
    main()
