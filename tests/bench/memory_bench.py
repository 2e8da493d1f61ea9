#!/usr/bin/env python3
"""Memory of the daemon: at idle, by mapped object, and beside collectd.

    python3 tests/bench/memory_bench.py [--gleaner build/gleaner]
        [--collectd-root DIR | --fetch-collectd] [--collectors 100]
        [--seconds 20] [--many 1000] [--idle-only] [--save LABEL]

1. Idle: gleaner on its built-in default configuration (one df collector),
   listening on a free port of loopback; after a few seconds its
   /proc/PID/smaps_rollup, then /proc/PID/smaps summed by mapped object
   (the binary, each library, heap, stacks): Rss, Pss, and the kinds of
   pages. Rss counts a library's pages shared with other processes in full;
   Pss divides them by the number of processes mapping them.

2. --many collectors (1,000), each running a one-line shell script every
   10 s (as tests/bench/load_bench.cpp configures them): gleaner's VmRSS
   after 12 s of warm-up and 30 s more, and by mapped object.

3. Side by side, in one run: gleaner and collectd 5.12 (Debian 12's
   collectd-core), each running --collectors one-line shell scripts every
   second, `/bin/sh -c 'echo ...'`, and serving what they read for
   Prometheus (collectd: its exec plugin and write_prometheus; gleaner: the
   exec plugin's `shell:`). Both run as the user nobody (collectd's exec
   plugin will not run a command as root). After 5 s of warm-up, a window
   of --seconds: CPU of each daemon and of its reaped children, from
   /proc/PID/stat at both ends, as a share of one core; at its end, VmRSS,
   VmHWM and Pss of each. A third process, collectd with its exec plugin
   alone (the values go nowhere), shows what write_prometheus adds.

collectd is not installed by .ci/install-deps (no test needs it):
--fetch-collectd takes it out of Debian's collectd-core package into
/var/tmp/gleaner-bench-collectd, without installing the package (which
would start collectd as a service), and installs the two libraries its
write_prometheus plugin links (libmicrohttpd12, libprotobuf-c1) with
apt-get. Needs root (to run the daemons as nobody).

--save LABEL writes the output to tests/bench/results/DATE-memory-LABEL.txt
as well; README's memory figures are taken from such files.
"""
import argparse
import collections
import datetime
import glob
import os
import re
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request

TICK = os.sysconf("SC_CLK_TCK")
HERE = os.path.dirname(os.path.abspath(__file__))
COLLECTD_CACHE = "/var/tmp/gleaner-bench-collectd"


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def wait_for(url, deadline=60.0):
    # Generous: on a busy machine, 1,000 collectors starting at once keep
    # the daemon's loop busy for seconds.
    end = time.monotonic() + deadline
    while time.monotonic() < end:
        try:
            with urllib.request.urlopen(url, timeout=10) as reply:
                return reply.read().decode()
        except OSError:
            time.sleep(0.1)
    raise SystemExit(f"no answer from {url} within {deadline:.0f} s")


def cpu_of(pid):
    """user + system of pid, and of its reaped children, in seconds."""
    with open(f"/proc/{pid}/stat") as stat:
        fields = stat.read().rsplit(")", 1)[1].split()
    utime, stime, cutime, cstime = (int(v) for v in fields[11:15])
    return (utime + stime) / TICK, (cutime + cstime) / TICK


def status_kib(pid, key):
    with open(f"/proc/{pid}/status") as status:
        for line in status:
            if line.startswith(key + ":"):
                return int(line.split()[1])
    return 0


def rollup(pid):
    values = {}
    with open(f"/proc/{pid}/smaps_rollup") as smaps:
        for line in smaps:
            key, _, value = line.partition(":")
            if value.strip().endswith("kB"):
                values[key] = int(value.split()[0])
    return values


KINDS = ("Rss", "Pss", "Shared_Clean", "Private_Clean", "Private_Dirty", "Anonymous")


def by_object(pid):
    """/proc/PID/smaps summed by mapped object (file name, or [heap], [stack], [anon])."""
    totals = collections.OrderedDict()
    name = None
    header = re.compile(r"^[0-9a-f]+-[0-9a-f]+ \S+ \S+ \S+ \S+\s*(.*)$")
    with open(f"/proc/{pid}/smaps") as smaps:
        for line in smaps:
            match = header.match(line)
            if match:
                name = match.group(1) or "[anon]"
                if name.startswith("/"):
                    name = os.path.basename(name)
                totals.setdefault(name, collections.Counter())
                continue
            key, _, value = line.partition(":")
            if key in KINDS:
                totals[name][key] += int(value.split()[0])
    return totals


def print_by_object(pid):
    totals = by_object(pid)
    print(f"{'object (KiB)':34}" + "".join(f"{k:>15}" for k in KINDS))
    sums = collections.Counter()
    for name, counts in sorted(totals.items(), key=lambda item: -item[1]["Rss"]):
        if counts["Rss"] == 0:
            continue
        sums.update(counts)
        print(f"{name[:34]:34}" + "".join(f"{counts[k]:>15}" for k in KINDS))
    print(f"{'total':34}" + "".join(f"{sums[k]:>15}" for k in KINDS))


def stop(process):
    if process.poll() is None:
        process.send_signal(signal.SIGTERM)
        try:
            process.wait(timeout=20)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()


def idle(gleaner):
    print("== idle: gleaner on its built-in default configuration (one df collector) ==")
    port = free_port()
    with tempfile.TemporaryDirectory() as scratch:
        # Run from an empty folder, with no /etc/gleaner/gleaner.yaml in the way:
        # --config would replace the built-in default, so it is not given.
        if os.path.exists("/etc/gleaner/gleaner.yaml"):
            print("note: /etc/gleaner/gleaner.yaml exists and is what gleaner reads")
        daemon = subprocess.Popen([gleaner, "--listen", f"127.0.0.1:{port}"], cwd=scratch,
                                  stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        try:
            wait_for(f"http://127.0.0.1:{port}/metrics")
            time.sleep(5)  # a few df runs, and the scrape answered
            wait_for(f"http://127.0.0.1:{port}/metrics")
            values = rollup(daemon.pid)
            print("smaps_rollup: " + " ".join(f"{k}={values.get(k, 0)}kB" for k in
                                              ("Rss", "Pss", "Shared_Clean", "Private_Clean", "Private_Dirty",
                                               "Anonymous")))
            print(f"VmRSS={status_kib(daemon.pid, 'VmRSS')}kB VmHWM={status_kib(daemon.pid, 'VmHWM')}kB "
                  f"threads={len(os.listdir(f'/proc/{daemon.pid}/task'))}")
            print_by_object(daemon.pid)
        finally:
            stop(daemon)
    print()


def fetch_collectd():
    if os.path.exists(os.path.join(COLLECTD_CACHE, "usr/sbin/collectd")):
        return COLLECTD_CACHE
    print(f"taking collectd out of Debian's collectd-core package into {COLLECTD_CACHE}", file=sys.stderr)
    subprocess.run(["apt-get", "install", "-y", "-qq", "--no-install-recommends", "libmicrohttpd12",
                    "libprotobuf-c1"], check=True, stdout=subprocess.DEVNULL)
    with tempfile.TemporaryDirectory() as work:
        subprocess.run(["apt-get", "download", "-qq", "collectd-core"], cwd=work, check=True,
                       stdout=subprocess.DEVNULL)
        deb = glob.glob(os.path.join(work, "collectd-core_*.deb"))[0]
        subprocess.run(["dpkg-deb", "-x", deb, COLLECTD_CACHE], check=True)
    return COLLECTD_CACHE


def as_nobody(argv):
    return ["setpriv", "--reuid=nobody", "--regid=nogroup", "--clear-groups", "--"] + argv


def collectd_config(root, scratch, collectors, port):
    lines = [
        'Hostname "bench"', "FQDNLookup false", "Interval 1",
        f'BaseDir "{scratch}"', f'PIDFile "{scratch}/collectd.pid"',
        f'PluginDir "{root}/usr/lib/collectd"', f'TypesDB "{root}/usr/share/collectd/types.db"',
        "LoadPlugin exec",
    ]
    if port:
        lines += ["LoadPlugin write_prometheus", "<Plugin write_prometheus>", f'  Port "{port}"', "</Plugin>"]
    lines.append("<Plugin exec>")
    for i in range(collectors):
        script = f'echo PUTVAL bench/exec-load_{i}/gauge-value interval=1 N:1'
        lines.append(f'  Exec "nobody" "/bin/sh" "-c" "{script}"')
    lines.append("</Plugin>")
    return "\n".join(lines) + "\n"


def gleaner_config(collectors, interval="1s"):
    # As tests/bench/load_bench.cpp writes it.
    lines = ["limits: {max_concurrent: 16, max_series: 100000}", "collectors:"]
    for i in range(collectors):
        lines.append(f'  - {{name: load_{i}, plugin: exec, interval: {interval}, timeout: 10s, '
                     'shell: "echo load_value 1"}')
    return "\n".join(lines) + "\n"


def many(gleaner, collectors, seconds):
    print(f"== {collectors} collectors, a one-line shell script every 10 s: gleaner after 12 s of warm-up "
          f"and {seconds} s ==")
    port = free_port()
    with tempfile.TemporaryDirectory() as scratch:
        config = os.path.join(scratch, "gleaner.yaml")
        with open(config, "w") as out:
            out.write(gleaner_config(collectors, "10s"))
        daemon = subprocess.Popen([gleaner, "--config", config, "--listen", f"127.0.0.1:{port}"],
                                  stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        try:
            wait_for(f"http://127.0.0.1:{port}/metrics")
            time.sleep(12)
            before = wait_for(f"http://127.0.0.1:{port}/metrics")
            time.sleep(seconds)
            after = wait_for(f"http://127.0.0.1:{port}/metrics")
            runs = sum_of(after, "gleaner_collector_runs_total") - sum_of(before, "gleaner_collector_runs_total")
            skipped = (sum_of(after, "gleaner_collector_skipped_total") -
                       sum_of(before, "gleaner_collector_skipped_total"))
            values = rollup(daemon.pid)
            print(f"rss={status_kib(daemon.pid, 'VmRSS')}kB peak_rss={status_kib(daemon.pid, 'VmHWM')}kB "
                  f"pss={values.get('Pss', 0)}kB private_dirty={values.get('Private_Dirty', 0)}kB "
                  f"runs={runs:.0f} skipped={skipped:.0f}")
            print_by_object(daemon.pid)
        finally:
            stop(daemon)
    print()


def sum_of(text, name):
    return sum(float(line.rsplit(" ", 1)[1]) for line in text.splitlines()
               if line.startswith(name + "{") or line.startswith(name + " "))


def side_by_side(gleaner, collectd_root, collectors, seconds):
    print(f"== side by side: {collectors} one-line shell scripts every 1 s, {seconds} s window, "
          "each daemon as nobody ==")
    collectd = os.path.join(collectd_root, "usr/sbin/collectd")
    version = subprocess.run([collectd, "-h"], capture_output=True, text=True).stdout.splitlines()
    print("collectd: " + next((l.strip() for l in version if l.strip().startswith("collectd ")), "?"))
    print("gleaner: " + subprocess.run([gleaner, "--version"], capture_output=True, text=True).stdout.strip())
    scratch = tempfile.mkdtemp(prefix="gleaner-memory-bench-")
    os.chmod(scratch, 0o755)
    processes = {}
    try:
        ports = {"gleaner": free_port(), "collectd": free_port()}
        with open(os.path.join(scratch, "gleaner.yaml"), "w") as out:
            out.write(gleaner_config(collectors))
        for name, port in (("collectd", ports["collectd"]), ("collectd-exec-only", None)):
            folder = os.path.join(scratch, name)
            os.mkdir(folder)
            shutil.chown(folder, "nobody", "nogroup")
            with open(os.path.join(folder, "collectd.conf"), "w") as out:
                out.write(collectd_config(collectd_root, folder, collectors, port))
        devnull = subprocess.DEVNULL
        processes["gleaner"] = subprocess.Popen(
            as_nobody([gleaner, "--config", os.path.join(scratch, "gleaner.yaml"), "--listen",
                       f"127.0.0.1:{ports['gleaner']}"]), stdout=devnull, stderr=devnull)
        for name in ("collectd", "collectd-exec-only"):
            # -f: in the foreground, a child of this script, as gleaner is.
            processes[name] = subprocess.Popen(
                as_nobody([collectd, "-f", "-C", os.path.join(scratch, name, "collectd.conf")]),
                stdout=devnull, stderr=devnull)
        wait_for(f"http://127.0.0.1:{ports['gleaner']}/metrics")
        wait_for(f"http://127.0.0.1:{ports['collectd']}/metrics")
        time.sleep(5)  # warm-up: every command has run a few times
        # setpriv execs the daemon in its own place: the Popen's pid is the daemon's.
        gleaner_before = wait_for(f"http://127.0.0.1:{ports['gleaner']}/metrics")
        start = {name: cpu_of(p.pid) for name, p in processes.items()}
        began = time.monotonic()
        time.sleep(seconds)
        end = {name: cpu_of(p.pid) for name, p in processes.items()}
        wall = time.monotonic() - began
        gleaner_text = wait_for(f"http://127.0.0.1:{ports['gleaner']}/metrics")
        runs = (sum_of(gleaner_text, "gleaner_collector_runs_total") -
                sum_of(gleaner_before, "gleaner_collector_runs_total"))
        collectd_text = wait_for(f"http://127.0.0.1:{ports['collectd']}/metrics")
        for name, process in processes.items():
            self_cpu = (end[name][0] - start[name][0]) / wall * 100
            children = (end[name][1] - start[name][1]) / wall * 100
            values = rollup(process.pid)
            print(f"{name:19} self_cpu={self_cpu:.1f}% children_cpu={children:.1f}% "
                  f"rss={status_kib(process.pid, 'VmRSS')}kB peak_rss={status_kib(process.pid, 'VmHWM')}kB "
                  f"pss={values.get('Pss', 0)}kB private_dirty={values.get('Private_Dirty', 0)}kB "
                  f"threads={len(os.listdir(f'/proc/{process.pid}/task'))}")
        served = len(re.findall(r"^load_value\{", gleaner_text, re.M))
        collectd_served = len(re.findall(r"^collectd_exec_gauge\{", collectd_text, re.M))
        print(f"series served: gleaner {served} of {collectors}, collectd {collectd_served} of {collectors}; "
              f"gleaner's runs in the window: {runs:.0f} of {collectors * wall:.0f}")
        for name, process in processes.items():
            print(f"-- {name}, by mapped object --")
            print_by_object(process.pid)
    finally:
        for process in processes.values():
            stop(process)
        shutil.rmtree(scratch, ignore_errors=True)
    print()


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--gleaner", default=os.path.join(HERE, "../../build/gleaner"))
    parser.add_argument("--collectd-root", help="a folder holding usr/sbin/collectd and usr/lib/collectd/")
    parser.add_argument("--fetch-collectd", action="store_true")
    parser.add_argument("--collectors", type=int, default=100)
    parser.add_argument("--seconds", type=int, default=20)
    parser.add_argument("--many", type=int, default=1000, help="collectors every 10 s, gleaner alone")
    parser.add_argument("--idle-only", action="store_true")
    parser.add_argument("--save", metavar="LABEL")
    args = parser.parse_args()
    gleaner = os.path.abspath(args.gleaner)

    if args.save:
        path = os.path.join(HERE, "results", f"{datetime.date.today()}-memory-{args.save}.txt")
        tee = subprocess.Popen(["tee", path], stdin=subprocess.PIPE)
        os.dup2(tee.stdin.fileno(), sys.stdout.fileno())
        print(f"saved in tests/bench/results/{os.path.basename(path)}")
    print(f"# python3 tests/bench/memory_bench.py {' '.join(sys.argv[1:])}")
    print(f"# {datetime.datetime.now(datetime.timezone.utc):%Y-%m-%d %H:%M} UTC, load average "
          f"{os.getloadavg()[0]:.1f}; machine: {os.cpu_count()} cores, {os.uname().release}")
    sys.stdout.flush()
    idle(gleaner)
    if not args.idle_only:
        many(gleaner, args.many, 30)
        root = args.collectd_root or (fetch_collectd() if args.fetch_collectd else None)
        if root is None:
            if os.path.exists(os.path.join(COLLECTD_CACHE, "usr/sbin/collectd")):
                root = COLLECTD_CACHE
            else:
                raise SystemExit("collectd is needed for the comparison: give --fetch-collectd (takes it out of "
                                 "Debian's collectd-core package) or --collectd-root DIR, or --idle-only")
        side_by_side(gleaner, os.path.abspath(root), args.collectors, args.seconds)
    print(f"# load average at the end {os.getloadavg()[0]:.1f}")
    sys.stdout.flush()


if __name__ == "__main__":
    main()
