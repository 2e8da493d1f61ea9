#!/usr/bin/env python3
"""A Python plugin every second: started on each tick (mode: periodic)
against kept running and asked on each tick (mode: persistent).

    python3 tests/bench/persistent_bench.py [--gleaner build/gleaner]
        [--collectors 5] [--seconds 20] [--rounds 3]

Runs the real binary, once per mode and round (modes alternate, so that the
machine's load falls on both alike), and reports per tick: the CPU of the
daemon and its children (the daemon's own and reaped children's time from
/proc/PID/stat, plus the time of the children still running, the
persistent plugins, from theirs; each taken at the start and the end of the
window), and lateness p50/p99 from gleaner_scheduler_lateness_seconds.
Running processes are measured by /proc/PID/task/*/schedstat, in
nanoseconds: their utime and stime, sampled at each clock tick, charge a
process that wakes for a millisecond a second far too much or nothing.
Reaped children only have their rusage (cutime, cstime), adjusted by the
kernel to their real run time when they exit.
"""
import argparse
import math
import os
import re
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.request

# The same work either way: read /proc/stat, print one line of line protocol.
PLUGIN = r'''#!/usr/bin/python3
import os, sys, time
def answer(ticks):
    with open("/proc/stat") as stat:
        fields = [int(v) for v in stat.readline().split()[1:]]
    print(f"bench_plugin,pid={os.getpid()} ticks={ticks}i,busy={sum(fields) - fields[3]}i,at={time.time()}")
    sys.stdout.flush()
if len(sys.argv) > 1 and sys.argv[1] == "--once":
    answer(1)
else:
    ticks = 0
    for _ in iter(sys.stdin.readline, ""):
        ticks += 1
        answer(ticks)
'''

TICK = os.sysconf("SC_CLK_TCK")


def cpu_of(pid):
    """user + system of pid, and of its reaped children, in seconds."""
    try:
        with open(f"/proc/{pid}/stat") as stat:
            fields = stat.read().rsplit(")", 1)[1].split()
    except OSError:
        return 0.0, 0.0
    utime, stime, cutime, cstime = (int(v) for v in fields[11:15])
    return (utime + stime) / TICK, (cutime + cstime) / TICK


def children_of(pid):
    found = []
    for task in os.listdir(f"/proc/{pid}/task"):
        try:
            with open(f"/proc/{pid}/task/{task}/children") as children:
                found += [int(p) for p in children.read().split()]
        except OSError:
            pass
    return found


def run_time(pid):
    """Seconds on a CPU of all of pid's threads, to the nanosecond."""
    total = 0
    try:
        for task in os.listdir(f"/proc/{pid}/task"):
            with open(f"/proc/{pid}/task/{task}/schedstat") as schedstat:
                total += int(schedstat.read().split()[0])
    except OSError:
        pass
    return total / 1e9


def total_cpu(daemon):
    """The daemon's CPU, and its children's: reaped ones and those running (with theirs)."""
    reaped = cpu_of(daemon)[1]
    live = 0.0
    for child in children_of(daemon):
        live += run_time(child) + cpu_of(child)[1]
    return run_time(daemon), reaped + live


def scrape(port):
    with urllib.request.urlopen(f"http://127.0.0.1:{port}/metrics", timeout=10) as reply:
        return reply.read().decode()


def counter_sum(text, name):
    return sum(float(v) for v in re.findall(rf"^{name}\{{[^}}]*\}} (\S+)$", text, re.M))


def buckets(text):
    found = {}
    for le, count in re.findall(r'^gleaner_scheduler_lateness_seconds_bucket\{le="([^"]+)"\} (\S+)$', text, re.M):
        found[math.inf if le == "+Inf" else float(le)] = float(count)
    return found


def quantile(q, before, after):
    """As Prometheus' histogram_quantile, over the observations between two snapshots."""
    counts = sorted((bound, count - before.get(bound, 0)) for bound, count in after.items())
    if not counts or counts[-1][1] <= 0:
        return math.nan
    rank = q * counts[-1][1]
    lower_bound = lower_count = 0.0
    for bound, count in counts:
        if count >= rank:
            if math.isinf(bound):
                return lower_bound
            return lower_bound + (bound - lower_bound) * (rank - lower_count) / max(1e-12, count - lower_count)
        lower_bound, lower_count = bound, count
    return lower_bound


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def run(gleaner, plugin, mode, collectors, seconds, folder):
    config = os.path.join(folder, f"{mode}.yaml")
    with open(config, "w") as out:
        out.write("collectors:\n")
        for i in range(collectors):
            argv = f"[{plugin}]" if mode == "persistent" else f"[{plugin}, --once]"
            out.write(f"  - {{name: py{i}, plugin: exec, mode: {mode}, interval: 1s, command: {argv},"
                      " parser: {type: influx}}\n")
    port = free_port()
    daemon = subprocess.Popen([gleaner, "--config", config, "--listen", f"127.0.0.1:{port}"],
                              stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        deadline = time.monotonic() + 20
        while True:  # warm-up: every collector has run twice
            try:
                text = scrape(port)
                if counter_sum(text, "gleaner_collector_runs_total") >= 2 * collectors:
                    break
            except OSError:
                pass
            if time.monotonic() > deadline:
                raise SystemExit("gleaner did not start")
            time.sleep(0.1)
        before_text, before_cpu = scrape(port), total_cpu(daemon.pid)
        time.sleep(seconds)
        after_text, after_cpu = scrape(port), total_cpu(daemon.pid)
    finally:
        daemon.send_signal(signal.SIGTERM)
        daemon.wait(timeout=30)
    runs = counter_sum(after_text, "gleaner_collector_runs_total") - counter_sum(before_text, "gleaner_collector_runs_total")
    failures = (counter_sum(after_text, "gleaner_collector_failures_total")
                - counter_sum(before_text, "gleaner_collector_failures_total"))
    daemon_cpu = after_cpu[0] - before_cpu[0]
    children_cpu = after_cpu[1] - before_cpu[1]
    lateness = buckets(before_text), buckets(after_text)
    return {
        "mode": mode, "runs": runs, "failures": failures,
        "daemon_us": daemon_cpu / runs * 1e6, "total_us": (daemon_cpu + children_cpu) / runs * 1e6,
        "p50_ms": quantile(0.5, *lateness) * 1e3, "p99_ms": quantile(0.99, *lateness) * 1e3,
    }


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--gleaner", default="build/gleaner")
    parser.add_argument("--collectors", type=int, default=5)
    parser.add_argument("--seconds", type=float, default=20)
    parser.add_argument("--rounds", type=int, default=3)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as folder:
        plugin = os.path.join(folder, "plugin.py")
        with open(plugin, "w") as out:
            out.write(PLUGIN)
        os.chmod(plugin, 0o755)
        os.chmod(folder, 0o755)
        print(f"{args.collectors} collectors, a Python plugin each, every 1 s; {args.seconds:.0f} s windows; "
              f"load average {os.getloadavg()[0]:.1f}")
        results = {"periodic": [], "persistent": []}
        for round_ in range(args.rounds):
            for mode in ("periodic", "persistent"):
                r = run(args.gleaner, plugin, mode, args.collectors, args.seconds, folder)
                results[mode].append(r)
                print(f"round {round_ + 1} {mode:10} runs={r['runs']:.0f} failures={r['failures']:.0f} "
                      f"daemon_cpu_per_tick={r['daemon_us']:.0f}us total_cpu_per_tick={r['total_us']:.0f}us "
                      f"lateness_p50={r['p50_ms']:.2f}ms lateness_p99={r['p99_ms']:.2f}ms", flush=True)
        ratios = [p["total_us"] / q["total_us"] for p, q in zip(results["periodic"], results["persistent"])]
        for mode, rs in results.items():
            totals = [r["total_us"] for r in rs]
            print(f"{mode:10} total CPU per tick: median {statistics.median(totals):.0f}us "
                  f"(min {min(totals):.0f}, max {max(totals):.0f}); lateness p99 median "
                  f"{statistics.median(r['p99_ms'] for r in rs):.2f}ms")
        print(f"periodic / persistent, total CPU per tick, by round: " + ", ".join(f"{x:.1f}x" for x in ratios) +
              f" (median {statistics.median(ratios):.1f}x)")
        print(f"load average at the end {os.getloadavg()[0]:.1f}")


if __name__ == "__main__":
    sys.exit(main())
