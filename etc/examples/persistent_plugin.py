#!/usr/bin/python3
# A long-lived plugin for the exec plugin's `mode: persistent` (README "The
# exec plugin"), written the way Telegraf's execd plugins with
# signal = "STDIN" are: gleaner writes a newline to its standard input at
# every tick; it answers with line protocol (parser: {type: influx}) and
# flushes. It prints no terminator, so the answer ends after the quiet
# period; printing an empty line after it would end it at once.
#
# Staying up is the point: state kept between ticks (here, the counters read
# last time, to report rates) and no interpreter start-up on every tick.
import os
import sys
import time


def read_counters():
    # CPU time of the whole host, in clock ticks, from /proc/stat.
    with open("/proc/stat") as stat:
        fields = stat.readline().split()[1:]
    values = [int(v) for v in fields]
    idle = values[3] + (values[4] if len(values) > 4 else 0)
    return sum(values), idle


def main():
    ticks = 0
    previous = read_counters()
    for _request in iter(sys.stdin.readline, ""):
        ticks += 1
        total, idle = read_counters()
        elapsed = total - previous[0]
        busy = 1.0 - (idle - previous[1]) / elapsed if elapsed > 0 else 0.0
        previous = (total, idle)
        print(f"example_plugin,pid={os.getpid()} ticks={ticks}i,cpu_busy_ratio={busy:.4f}")
        print(f"example_plugin_clock unix_seconds={time.time():.3f}")
        sys.stdout.flush()


if __name__ == "__main__":
    main()
