// Spawn overhead: N runs of a command through the subprocess layer against
// the physical limit, a plain posix_spawn + waitpid loop, in one process, so
// the ratios hold even on a noisy machine. Both give their children the same
// environment (the layer's minimal one), and the layer runs as in the daemon,
// adopting orphans (so each run's look for leftovers is counted). The three
// launchers take turns, round after round (limit, layer, layer 16, then the
// next round in the opposite order), and the spread of the rounds' ratios is
// printed with their median.
//
//   spawn_bench [--rounds R] [--gap-ms G] [RUNS] [COMMAND...]
//     (default: 5 rounds of 2000 runs of /bin/true, back to back)
//   spawn_bench --only limit|layer [RUNS] [COMMAND...]
//     one launcher alone (the layer one in flight), for a profiler to see
//     nothing else: tests/bench/perf_breakdown.py
//
// With --gap-ms, each run starts G ms after the previous one ended, on a
// timer of an io_context, as a collector's tick starts it in the daemon,
// and only one is in flight: both launchers then pay what the daemon pays
// for waking from idle before each run (on a VM, more than the spawn
// itself: README "Performance").
//
// Per round: runs/s, the parent's CPU per run, the children's CPU per run,
// and each against the limit's: parent/limit is what the layer adds, since
// the children's cost (the dynamic loader of every exec) is the same for
// any launcher and makes total/limit near 1 by construction. Then one
// summary line per launcher:
//   summary LAUNCHER parent/limit MEDIAN (MIN-MAX) total/limit MEDIAN (MIN-MAX) parent_us MEDIAN limit_parent_us MEDIAN

#include <spawn.h>
#include <sys/resource.h>
#include <sys/wait.h>

#include <algorithm>
#include <boost/asio/io_context.hpp>
#include <boost/asio/steady_timer.hpp>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <functional>
#include <string>
#include <vector>

#include "common/subprocess/executable_lookup.h"
#include "common/subprocess/process_runner.h"

namespace {

using Clock = std::chrono::steady_clock;

struct Usage {
  double parent_cpu = 0;    // seconds, user + system
  double children_cpu = 0;  // seconds, of reaped children
};

double seconds(const timeval& t) { return static_cast<double>(t.tv_sec) + static_cast<double>(t.tv_usec) / 1e6; }

Usage usage_now() {
  rusage self{}, children{};
  ::getrusage(RUSAGE_SELF, &self);
  ::getrusage(RUSAGE_CHILDREN, &children);
  return {seconds(self.ru_utime) + seconds(self.ru_stime), seconds(children.ru_utime) + seconds(children.ru_stime)};
}

struct Measurement {
  const char* name;
  double wall = 0;
  Usage cost;
  int runs = 0;
  int failures = 0;
};

template <typename Body>
Measurement measure(const char* name, int runs, Body body) {
  Measurement m{name, 0, {}, runs, 0};
  const auto before = usage_now();
  const auto start = Clock::now();
  m.failures = body();
  m.wall = std::chrono::duration<double>(Clock::now() - start).count();
  const auto after = usage_now();
  m.cost = {after.parent_cpu - before.parent_cpu, after.children_cpu - before.children_cpu};
  return m;
}

// The physical limit: what any launcher must at least do. The children get
// the environment the layer gives them, so that theirs cost the same.
// Calls run_one `runs` times, each `gap` after the previous one ended, on a
// timer of `io`; back to back without a gap.
void paced(boost::asio::io_context& io, std::chrono::milliseconds gap, int runs, const std::function<void()>& run_one) {
  boost::asio::steady_timer timer(io);
  int done = 0;
  std::function<void()> next = [&] {
    run_one();
    if (++done == runs) return;
    timer.expires_after(gap);
    timer.async_wait([&](const boost::system::error_code&) { next(); });
  };
  next();
  io.run();
}

int plain_spawn_loop(const std::vector<std::string>& argv, int runs, std::chrono::milliseconds gap) {
  std::vector<char*> args;
  for (const auto& arg : argv) args.push_back(const_cast<char*>(arg.c_str()));
  args.push_back(nullptr);
  gleaner::subprocess::Command command;
  command.argv = argv;
  const auto environment = gleaner::subprocess::build_environment(command);
  std::vector<char*> envp;
  for (const auto& entry : environment) envp.push_back(const_cast<char*>(entry.c_str()));
  envp.push_back(nullptr);
  int failures = 0;
  const auto spawn_and_wait = [&] {
    pid_t pid = 0;
    if (::posix_spawn(&pid, args[0], nullptr, nullptr, args.data(), envp.data()) != 0) {
      ++failures;
      return;
    }
    int status = 0;
    ::waitpid(pid, &status, 0);
    failures += !(WIFEXITED(status) && WEXITSTATUS(status) == 0);
  };
  if (gap.count() > 0) {
    boost::asio::io_context io;
    paced(io, gap, runs, spawn_and_wait);
  } else {
    for (int i = 0; i < runs; ++i) spawn_and_wait();
  }
  return failures;
}

// Through the layer, `in_flight` runs at a time, adopting orphans as the
// daemon does (its once-a-second sweep is stopped with the loop).
int layer_loop(const std::vector<std::string>& argv, int runs, std::size_t in_flight,
               std::chrono::milliseconds gap = {}) {
  boost::asio::io_context io;
  gleaner::subprocess::ProcessRunner runner(io.get_executor(), {.max_concurrent = in_flight});
  runner.reaper().adopt_orphans();
  gleaner::subprocess::Command command;
  command.argv = argv;
  int started = 0, completed = 0, failures = 0;
  boost::asio::steady_timer gap_timer(io);
  std::function<void()> next = [&] {
    if (started == runs) return;
    ++started;
    runner.async_run(command, [&](gleaner::subprocess::Result result) {
      if (!result.exited_with(0) && failures++ < 5) std::fprintf(stderr, "failed: %s\n", result.describe().c_str());
      if (++completed == runs) io.stop();
      if (gap.count() == 0) {
        next();
        return;
      }
      gap_timer.expires_after(gap);
      gap_timer.async_wait([&](const boost::system::error_code&) { next(); });
    });
  };
  for (std::size_t i = 0; i < in_flight; ++i) next();
  io.run();
  return failures;
}

void print(const Measurement& m, const Measurement& limit) {
  const double per_run_parent = m.cost.parent_cpu / m.runs * 1e6;
  const double per_run_children = m.cost.children_cpu / m.runs * 1e6;
  const double total = m.cost.parent_cpu + m.cost.children_cpu;
  const double limit_total = limit.cost.parent_cpu + limit.cost.children_cpu;
  std::printf("%-34s %9.0f %12.1f %14.1f %12.1f %10.2fx %10.2fx %s\n", m.name, m.runs / m.wall, per_run_parent,
              per_run_children, (total / m.runs) * 1e6, m.cost.parent_cpu / limit.cost.parent_cpu,
              total / limit_total, m.failures ? "FAILURES" : "");
}

struct Spread {
  double median = 0, min = 0, max = 0;
};

Spread spread_of(std::vector<double> values) {
  std::sort(values.begin(), values.end());
  const std::size_t n = values.size();
  const double median = n % 2 ? values[n / 2] : (values[n / 2 - 1] + values[n / 2]) / 2;
  return {median, values.front(), values.back()};
}

struct Launcher {
  const char* name;
  std::function<int()> body;
  std::vector<Measurement> rounds;
};

}  // namespace

int main(int argc, char** argv) {
  int rounds = 5;
  std::chrono::milliseconds gap{0};
  std::string only;
  int first = 1;
  while (argc > first + 1 && std::string(argv[first]).rfind("--", 0) == 0) {
    const std::string flag = argv[first];
    const int value = std::atoi(argv[first + 1]);
    if (flag == "--rounds") rounds = std::max(1, value);
    if (flag == "--gap-ms") gap = std::chrono::milliseconds(std::max(0, value));
    if (flag == "--only") only = argv[first + 1];
    first += 2;
  }
  const int runs = argc > first ? std::atoi(argv[first]) : 2000;
  std::vector<std::string> command = {"/bin/true"};
  if (argc > first + 1) command.assign(argv + first + 1, argv + argc);

  if (!only.empty()) {
    if (only != "limit" && only != "layer") {
      std::fprintf(stderr, "--only takes limit or layer\n");
      return 2;
    }
    const bool limit = only == "limit";
    const auto launch = [&](int count, std::chrono::milliseconds pace) {
      return limit ? plain_spawn_loop(command, count, pace) : layer_loop(command, count, 1, pace);
    };
    launch(50, {});  // warm-up
    const auto m = measure(only.c_str(), runs, [&] { return launch(runs, gap); });
    std::printf("only %s | runs %d | parent_us %.1f | failures %d\n", m.name, m.runs,
                m.cost.parent_cpu / m.runs * 1e6, m.failures);
    return m.failures ? 1 : 0;
  }

  // Warm up both paths (page cache, allocator, lazy binding).
  plain_spawn_loop(command, 50, {});
  layer_loop(command, 50, 1);

  std::vector<Launcher> launchers = {
      {"posix_spawn + waitpid (limit)", [&] { return plain_spawn_loop(command, runs, gap); }, {}},
      {"gleaner layer, 1 in flight", [&] { return layer_loop(command, runs, 1, gap); }, {}},
  };
  if (gap.count() == 0) {
    launchers.push_back({"gleaner layer, 16 in flight", [&] { return layer_loop(command, runs, 16); }, {}});
  }
  std::printf("%d rounds of %d runs of %s, the launchers taking turns", rounds, runs, command.front().c_str());
  if (gap.count() > 0) std::printf(", each run %lld ms after the previous one ended", static_cast<long long>(gap.count()));
  std::printf("\n");
  bool failed = false;
  for (int round = 0; round < rounds; ++round) {
    // Alternate the order, so that no launcher always follows the same one.
    for (std::size_t i = 0; i < launchers.size(); ++i) {
      auto& launcher = launchers[round % 2 ? launchers.size() - 1 - i : i];
      launcher.rounds.push_back(measure(launcher.name, runs, launcher.body));
      failed |= launcher.rounds.back().failures != 0;
    }
    std::printf("round %d\n%-34s %9s %12s %14s %12s %11s %11s\n", round + 1, "launcher", "runs/s", "parent us/run",
                "children us/run", "total us/run", "parent/lim", "total/lim");
    for (const auto& launcher : launchers) print(launcher.rounds.back(), launchers[0].rounds.back());
  }
  for (const auto& launcher : launchers) {
    std::vector<double> parent_ratios, total_ratios, parent_us, limit_parent_us;
    for (int round = 0; round < rounds; ++round) {
      const auto& m = launcher.rounds[static_cast<std::size_t>(round)];
      const auto& limit = launchers[0].rounds[static_cast<std::size_t>(round)];
      parent_ratios.push_back(m.cost.parent_cpu / limit.cost.parent_cpu);
      total_ratios.push_back((m.cost.parent_cpu + m.cost.children_cpu) /
                             (limit.cost.parent_cpu + limit.cost.children_cpu));
      parent_us.push_back(m.cost.parent_cpu / m.runs * 1e6);
      limit_parent_us.push_back(limit.cost.parent_cpu / limit.runs * 1e6);
    }
    const auto parent = spread_of(parent_ratios);
    const auto total = spread_of(total_ratios);
    std::printf("summary %s | parent/limit %.2f (%.2f-%.2f) | total/limit %.2f (%.2f-%.2f) | parent_us %.1f | "
                "limit_parent_us %.1f\n",
                launcher.name, parent.median, parent.min, parent.max, total.median, total.min, total.max,
                spread_of(parent_us).median, spread_of(limit_parent_us).median);
  }
  return failed ? 1 : 0;
}
