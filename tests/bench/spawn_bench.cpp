// Spawn overhead: N runs of a command through the subprocess layer against
// the physical limit, a plain posix_spawn + waitpid loop, in one process and
// one run, so the ratio holds even on a noisy machine.
//
//   spawn_bench [RUNS] [COMMAND...]        (default: 2000 runs of /bin/true)
//
// Prints runs/s, the parent's CPU per run and the children's CPU per run for
// both, and their ratios.

#include <spawn.h>
#include <sys/resource.h>
#include <sys/wait.h>

#include <boost/asio/io_context.hpp>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <string>
#include <vector>

#include "subprocess/process_runner.h"

extern char** environ;

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

// The physical limit: what any launcher must at least do.
int plain_spawn_loop(const std::vector<std::string>& argv, int runs) {
  std::vector<char*> args;
  for (const auto& arg : argv) args.push_back(const_cast<char*>(arg.c_str()));
  args.push_back(nullptr);
  int failures = 0;
  for (int i = 0; i < runs; ++i) {
    pid_t pid = 0;
    if (::posix_spawn(&pid, args[0], nullptr, nullptr, args.data(), environ) != 0) {
      ++failures;
      continue;
    }
    int status = 0;
    ::waitpid(pid, &status, 0);
    failures += !(WIFEXITED(status) && WEXITSTATUS(status) == 0);
  }
  return failures;
}

// Through the layer, `in_flight` runs at a time.
int layer_loop(const std::vector<std::string>& argv, int runs, std::size_t in_flight) {
  boost::asio::io_context io;
  gleaner::subprocess::ProcessRunner runner(io.get_executor(), {.max_concurrent = in_flight});
  gleaner::subprocess::Command command;
  command.argv = argv;
  int started = 0, failures = 0;
  std::function<void()> next = [&] {
    if (started == runs) return;
    ++started;
    runner.async_run(command, [&](gleaner::subprocess::Result result) {
      if (!result.exited_with(0) && failures++ < 5) std::fprintf(stderr, "failed: %s\n", result.describe().c_str());
      next();
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

}  // namespace

int main(int argc, char** argv) {
  const int runs = argc > 1 ? std::atoi(argv[1]) : 2000;
  std::vector<std::string> command = {"/bin/true"};
  if (argc > 2) command.assign(argv + 2, argv + argc);

  // Warm up both paths (page cache, allocator, lazy binding).
  plain_spawn_loop(command, 50);
  layer_loop(command, 50, 1);

  const auto limit = measure("posix_spawn + waitpid (limit)", runs, [&] { return plain_spawn_loop(command, runs); });
  const auto layer = measure("gleaner layer, 1 in flight", runs, [&] { return layer_loop(command, runs, 1); });
  const auto layer16 = measure("gleaner layer, 16 in flight", runs, [&] { return layer_loop(command, runs, 16); });

  std::printf("%d runs of %s\n", runs, command.front().c_str());
  std::printf("%-34s %9s %12s %14s %12s %11s %11s\n", "launcher", "runs/s", "parent us/run", "children us/run",
              "total us/run", "parent/lim", "total/lim");
  print(limit, limit);
  print(layer, limit);
  print(layer16, limit);
  return (limit.failures || layer.failures || layer16.failures) ? 1 : 0;
}
