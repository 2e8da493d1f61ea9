#!/usr/bin/env python3
"""Where a run's parent CPU goes, by system call: the subprocess layer against
a bare posix_spawn + waitpid (README "Performance").

Each round profiles `spawn_bench --only limit RUNS` and `spawn_bench --only
layer RUNS` (one in flight, the order alternating by round) under
`perf record --no-inherit` (the parent alone, as spawn_bench's own CPU
figure counts it). From `perf report`, each system call's share of the
samples, its callees in the kernel included, times the parent's CPU per
run that spawn_bench measured, gives microseconds per run. What is left is
the kernel outside system calls (page faults, interrupts) and user space.
A system call that blocks (wait4, epoll_wait, clone3 waiting for the
child's exec) is charged the CPU of switching away and back, not the wait.

  python3 tests/bench/perf_breakdown.py [--build DIR] [--runs N] [--rounds R]

Each profiled run follows the same run without perf, to show what
profiling adds (the breakdown is of the profiled one).

Needs perf (Debian: linux-perf) and the right to profile (root, or
kernel.perf_event_paranoid <= 1). Prints a table; the output is saved as
tests/bench/results/DATE-perf.txt (DATE-HHMM if that exists).
"""

import argparse
import datetime
import os
import re
import shutil
import statistics
import subprocess
import sys
import tempfile

SYSCALL_ENTRY = re.compile(r"\[k\] __(?:x64|arm64|do|se)_sys_(\w+)$")
ROW = re.compile(r"^\s*([\d.]+)%\s+([\d.]+)%\s+(.*)$")  # children %, self %, symbol
OBJECT_ROW = re.compile(r"^\s*([\d.]+)%\s+(\S.*)$")  # %, shared object


def parent_us(spawn_bench, launcher, runs, data=None):
    """Runs one launcher, under perf if data names its file; returns the
    parent's CPU per run (µs)."""
    profiler = ["perf", "record", "--no-inherit", "-q", "-e", "cpu-clock", "-F", "1000", "-g", "-o", data]
    out = subprocess.run((profiler if data else []) + [spawn_bench, "--only", launcher, str(runs)],
                         check=True, capture_output=True, text=True).stdout
    match = re.search(r"parent_us ([\d.]+)", out)
    if not match:
        sys.exit(f"spawn_bench printed no parent_us: {out!r}")
    return float(match.group(1))


def shares(data):
    """{syscall: % of samples with its callees}, and the kernel's % in all."""
    report = subprocess.run(
        ["perf", "report", "-i", data, "--children", "--sort", "sym", "-g", "none", "--stdio",
         "--percent-limit", "0.05"],
        check=True, capture_output=True, text=True).stdout
    calls = {}
    for line in report.splitlines():
        row = ROW.match(line)
        entry = row and SYSCALL_ENTRY.search(row.group(3).strip())
        if entry:  # __x64_sys_X and __do_sys_X can both appear: the outer one holds the inner
            calls[entry.group(1)] = max(calls.get(entry.group(1), 0.0), float(row.group(1)))
    by_object = subprocess.run(
        ["perf", "report", "-i", data, "--no-children", "--sort", "dso", "-g", "none", "--stdio"],
        check=True, capture_output=True, text=True).stdout
    kernel = sum(float(row.group(1)) for row in map(OBJECT_ROW.match, by_object.splitlines())
                 if row and row.group(2).startswith("[kernel"))
    return calls, kernel


def top_user_functions(data, count):
    """The user-space functions with the most samples of their own."""
    report = subprocess.run(
        ["perf", "report", "-i", data, "--no-children", "--sort", "sym", "-g", "none", "--stdio"],
        check=True, capture_output=True, text=True).stdout
    rows = [OBJECT_ROW.match(line) for line in report.splitlines()]
    return [(float(r.group(1)), r.group(2)[4:].strip()) for r in rows if r and r.group(2).startswith("[.]")][:count]


def spread(values):
    return statistics.median(values), min(values), max(values)


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--build", default="build")
    parser.add_argument("--runs", type=int, default=20000)
    parser.add_argument("--rounds", type=int, default=3)
    args = parser.parse_args()
    if not shutil.which("perf"):
        sys.exit("perf is needed: apt-get install linux-perf")
    spawn_bench = os.path.join(args.build, "tests", "bench", "spawn_bench")
    subprocess.run(["cmake", "--build", args.build, "-j2", "--target", "spawn_bench"], check=True,
                   capture_output=True)

    os.makedirs("tests/bench/results", exist_ok=True)
    saved = f"tests/bench/results/{datetime.date.today()}-perf.txt"
    if os.path.exists(saved):
        saved = f"tests/bench/results/{datetime.datetime.now():%Y-%m-%d-%H%M}-perf.txt"
    lines = []

    def say(text=""):
        print(text, flush=True)
        lines.append(text)

    model = next((l.split(":", 1)[1].strip() for l in open("/proc/cpuinfo") if l.startswith("model name")), "?")
    commit = subprocess.run(["git", "rev-parse", "--short", "HEAD"], capture_output=True, text=True).stdout.strip()
    say(f"saved in {saved}")
    say(f"machine: {os.cpu_count()} cores, {os.uname().release}, {model}")
    say(f"commit: {commit}, {datetime.datetime.utcnow():%Y-%m-%d %H:%M} UTC, load average {os.getloadavg()[0]:.2f}")
    say(f"{args.rounds} rounds of {args.runs} runs of /bin/true per launcher, one in flight, perf record --no-inherit")

    # per launcher: list over rounds of (parent µs per run, {call: µs}, kernel µs)
    measured = {"limit": [], "layer": []}
    unprofiled = {"limit": [], "layer": []}  # the same run without perf, just before
    with tempfile.TemporaryDirectory() as scratch:
        for round_number in range(args.rounds):
            order = ["limit", "layer"] if round_number % 2 == 0 else ["layer", "limit"]
            for launcher in order:
                data = os.path.join(scratch, f"{launcher}.data")
                unprofiled[launcher].append(parent_us(spawn_bench, launcher, args.runs))
                profiled = parent_us(spawn_bench, launcher, args.runs, data)
                calls, kernel = shares(data)
                measured[launcher].append((profiled, {c: profiled * p / 100 for c, p in calls.items()},
                                           profiled * kernel / 100))
                say(f"round {round_number + 1} {launcher}: parent {profiled:.1f} µs a run profiled "
                    f"({unprofiled[launcher][-1]:.1f} not), kernel {kernel:.1f} % of it")
                if launcher == "layer" and round_number == args.rounds - 1:
                    say("  its user-space functions with the most samples of their own (% of all its samples):")
                    for percent, function in top_user_functions(data, 8):
                        say(f"    {percent:5.2f} %  {function[:110]}")

    names = sorted({c for runs in measured.values() for _, calls, _ in runs for c in calls},
                   key=lambda c: -statistics.median(calls.get(c, 0.0) for _, calls, _ in measured["layer"]))

    def cell(launcher, value_of):
        median, low, high = spread([value_of(run) for run in measured[launcher]])
        return f"{median:7.1f} ({low:.1f}-{high:.1f})"

    say()
    say(f"{'µs a run, median (min-max)':34} {'limit':>22} {'layer':>22}")
    for name in names:
        # leave out what is below 0.2 µs in both
        if all(statistics.median(calls.get(name, 0.0) for _, calls, _ in measured[l]) < 0.2 for l in measured):
            continue
        say(f"{'  ' + name:34} {cell('limit', lambda r: r[1].get(name, 0.0)):>22} "
            f"{cell('layer', lambda r: r[1].get(name, 0.0)):>22}")
    say(f"{'kernel outside system calls':34} {cell('limit', lambda r: r[2] - sum(r[1].values())):>22} "
        f"{cell('layer', lambda r: r[2] - sum(r[1].values())):>22}")
    say(f"{'user space':34} {cell('limit', lambda r: r[0] - r[2]):>22} {cell('layer', lambda r: r[0] - r[2]):>22}")
    say(f"{'all (spawn_bench parent_us)':34} {cell('limit', lambda r: r[0]):>22} {cell('layer', lambda r: r[0]):>22}")
    plain = {launcher: "%7.1f (%.1f-%.1f)" % spread(values) for launcher, values in unprofiled.items()}
    say(f"{'the same, not profiled':34} {plain['limit']:>22} {plain['layer']:>22}")
    with open(saved, "w") as out:
        out.write("\n".join(lines) + "\n")


if __name__ == "__main__":
    main()
