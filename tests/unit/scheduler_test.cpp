// The scheduler on a real io_context with fake collectors: each tick's due
// time is what the fake records, so the fixed rate and the phases are
// checked exactly, without timing a sleep. README "Scheduling", "Metrics
// about gleaner itself" (failure reasons) and "How it works".

#include "daemon/scheduler/scheduler.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <spdlog/sinks/ostream_sink.h>
#include <spdlog/spdlog.h>

#include <boost/asio/io_context.hpp>
#include <boost/asio/redirect_error.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/this_coro.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <chrono>
#include <cstdio>
#include <memory>
#include <set>
#include <sstream>
#include <stdexcept>
#include <string>
#include <vector>

#include "tests/support/io_wait.h"
#include "common/metrics/metric_store.h"
#include "plugins/command_run.h"
#include "common/subprocess/process_runner.h"

namespace gleaner::daemon {
namespace {

namespace asio = boost::asio;
using namespace std::chrono_literals;
using plugins::CollectOutcome;
using plugins::FailureReason;
using std::chrono::steady_clock;
using testing::run_until;

// What the fake collector does in a run, and what it saw of its runs.
struct Script {
  std::size_t series = 1;  // a successful run prints this many series
  bool fail = false;       // fails with reason exit_code instead
  bool throws = false;     // throws instead: a fault of gleaner's
  bool hold = false;       // waits for release() before it ends
  bool commands = true;    // says its runs start commands (runs_commands())
  std::vector<steady_clock::time_point> dues;  // each run's context.due
  asio::steady_timer* gate = nullptr;          // the held run's wait

  void release() {
    hold = false;
    if (gate != nullptr) gate->cancel();
  }
};

class FakeCollector final : public plugins::Collector {
 public:
  explicit FakeCollector(std::shared_ptr<Script> script) : script_(std::move(script)) {}

  bool runs_commands() const override { return script_->commands; }

  asio::awaitable<CollectOutcome> collect(plugins::CollectContext& context) override {
    const auto script = script_;  // the frame keeps it
    script->dues.push_back(context.due);
    if (script->hold) {
      asio::steady_timer gate(co_await asio::this_coro::executor, steady_clock::time_point::max());
      script->gate = &gate;
      boost::system::error_code ignored;
      co_await gate.async_wait(asio::redirect_error(asio::use_awaitable, ignored));
      script->gate = nullptr;
    }
    if (script->throws) throw std::runtime_error("a fault of the fake");
    if (script->fail) co_return CollectOutcome::failed(FailureReason::exit_code, "the fake failed");
    metrics::MetricFamily family{"fake_value", metrics::MetricType::gauge, "A fake's value.", {}};
    for (std::size_t i = 0; i < script->series; ++i) {
      family.samples.push_back(metrics::Sample{"fake_value", {{"i", std::to_string(i)}}, 1});
    }
    co_return CollectOutcome::success({std::move(family)});
  }

 private:
  std::shared_ptr<Script> script_;
};

// Runs two commands, one after the other, through run_command: as df does.
class TwoCommandCollector final : public plugins::Collector {
 public:
  explicit TwoCommandCollector(plugins::CollectorSettings settings) : settings_(std::move(settings)) {}

  asio::awaitable<CollectOutcome> collect(plugins::CollectContext& context) override {
    for (int i = 0; i < 2; ++i) {
      auto run = co_await plugins::run_command(context, plugins::command_for(settings_, sleep_argv()), success());
      if (!run.ok()) co_return std::move(*run.failure);
    }
    co_return CollectOutcome::success({});
  }

 private:
  // Made outside the coroutine: GCC 12 cannot take a braced list of string
  // literals in one.
  static std::vector<std::string> sleep_argv() { return {"sleep", "1.5"}; }
  static const std::vector<int>& success() {
    static const std::vector<int> codes = {0};
    return codes;
  }

  plugins::CollectorSettings settings_;
};

// Runs `true`, then finds the run's timeout used up, as if `true` had taken
// it all (set here: a command that ends just at its deadline is a matter
// of timing), so that its second command is not started.
class OutOfTimeCollector final : public plugins::Collector {
 public:
  explicit OutOfTimeCollector(plugins::CollectorSettings settings) : settings_(std::move(settings)) {}

  asio::awaitable<CollectOutcome> collect(plugins::CollectContext& context) override {
    auto first = co_await plugins::run_command(context, plugins::command_for(settings_, argv("true")), success());
    if (!first.ok()) co_return std::move(*first.failure);
    context.commands_ran = settings_.timeout;
    auto second = co_await plugins::run_command(context, plugins::command_for(settings_, argv("echo")), success());
    if (!second.ok()) co_return std::move(*second.failure);
    co_return CollectOutcome::success({});
  }

 private:
  static std::vector<std::string> argv(const char* program) { return {program}; }
  static const std::vector<int>& success() {
    static const std::vector<int> codes = {0};
    return codes;
  }

  plugins::CollectorSettings settings_;
};

plugins::CollectorSettings settings_for(const std::string& name, std::chrono::milliseconds interval) {
  plugins::CollectorSettings settings;
  settings.name = name;
  settings.plugin = "fake";
  settings.interval = interval;
  return settings;
}

CollectorConfig fake(const std::string& name, std::shared_ptr<Script> script,
                     std::chrono::milliseconds interval = 200ms, const std::string& fingerprint = "1") {
  return CollectorConfig{settings_for(name, interval), fingerprint, std::make_shared<FakeCollector>(std::move(script)),
                         {}};
}

class SchedulerTest : public ::testing::Test {
 protected:
  const CollectorStatus& status(const std::string& name) const {
    for (const auto* status : scheduler_.statuses()) {
      if (status->name == name) return *status;
    }
    throw std::logic_error("no collector " + name);
  }
  bool has_run(const std::string& name, std::uint64_t runs) const {
    const auto& s = status(name);
    return s.runs_total >= runs && !s.running;
  }

  asio::io_context io_;
  subprocess::ProcessRunner runner_{io_.get_executor(), {}};
  metrics::MetricStore store_;
  Scheduler scheduler_{io_.get_executor(), runner_, store_};
};

// The first run at start-up, then start + phase + k × interval: the ticks
// are exact multiples of the interval apart (a loop too busy to keep up
// skips whole ticks, never drifts), and the phase is one of the interval's
// slots (100 of 10 ms at 1 s, README "Scheduling"), the same for a name
// whatever scheduler runs it, different for different names.
TEST_F(SchedulerTest, RunsAtStartThenAtFixedRateOnItsNamesPhase) {
  constexpr auto kInterval = 1000ms;
  constexpr auto kSlot = 10ms;
  // The first run's due is taken a moment after the schedule's start.
  constexpr auto kStartSkew = 5ms;
  const std::vector<std::string> names = {"alpha", "beta", "gamma", "delta", "epsilon", "zeta", "eta", "theta"};
  // The slot of each name, FNV-1a of the name modulo 100: the same on every
  // host and every version.
  const std::vector<long long> expected_slots = {15, 47, 74, 41, 85, 3, 7, 83};
  std::vector<std::shared_ptr<Script>> scripts;
  std::vector<CollectorConfig> configs;
  for (const auto& name : names) {
    scripts.push_back(std::make_shared<Script>());
    configs.push_back(fake(name, scripts.back(), kInterval));
  }
  scheduler_.apply(std::move(configs), Limits{});
  ASSERT_TRUE(run_until(io_, [&] {
    for (const auto& name : names) {
      if (!has_run(name, 3)) return false;
    }
    return true;
  }));

  // The phase seen: the second run's due less the first's (the start-up
  // run is due the instant the schedule starts, give or take the call).
  const auto phase_of = [&](const Script& script) { return script.dues[1] - script.dues[0] - kInterval; };
  std::set<long long> slots;
  for (std::size_t i = 0; i < names.size(); ++i) {
    SCOPED_TRACE(names[i]);
    const auto& dues = scripts[i]->dues;
    for (std::size_t k = 2; k < dues.size(); ++k) {
      const auto gap = dues[k] - dues[k - 1];
      EXPECT_GE(gap, kInterval);
      EXPECT_EQ(gap % kInterval, steady_clock::duration::zero()) << "a tick off the grid";
    }
    // What is seen is the phase less the first due's lateness, which is
    // below kStartSkew and far below a slot's 10 ms.
    const auto phase = phase_of(*scripts[i]);
    const auto on_grid = expected_slots[i] * kSlot;
    EXPECT_GT(phase, on_grid - kStartSkew) << "not in slot " << expected_slots[i];
    EXPECT_LE(phase, on_grid + 1ms) << "not in slot " << expected_slots[i];
    slots.insert(expected_slots[i]);
  }
  EXPECT_EQ(slots.size(), names.size()) << "eight names share slots";

  // Another scheduler (a restart): the same name has the same phase.
  const auto again = std::make_shared<Script>();
  Scheduler other(io_.get_executor(), runner_, store_);
  std::vector<CollectorConfig> one;
  one.push_back(fake(names[0], again, kInterval));
  scheduler_.stop();
  other.apply(std::move(one), Limits{});
  ASSERT_TRUE(run_until(io_, [&] { return again->dues.size() >= 2; }));
  const auto difference = phase_of(*again) - phase_of(*scripts[0]);
  EXPECT_LT(difference < steady_clock::duration::zero() ? -difference : difference, kStartSkew);
  other.stop();
}

// A tick that comes while the run is still going is skipped and counted;
// the run is not started twice, and once it ends the next tick runs.
TEST_F(SchedulerTest, SkipsAndCountsTicksWhileTheRunIsStillGoing) {
  auto script = std::make_shared<Script>();
  script->hold = true;
  std::vector<CollectorConfig> configs;
  configs.push_back(fake("slow", script, 100ms));
  scheduler_.apply(std::move(configs), Limits{});
  ASSERT_TRUE(run_until(io_, [&] { return status("slow").skipped_total >= 3; }));
  EXPECT_EQ(status("slow").runs_total, 1u);
  EXPECT_TRUE(status("slow").running);
  EXPECT_EQ(script->dues.size(), 1u);
  EXPECT_EQ(scheduler_.runs_in_flight(), 1u);

  script->release();
  ASSERT_TRUE(run_until(io_, [&] { return has_run("slow", 2); }));
  EXPECT_TRUE(status("slow").up);
  const auto skipped = status("slow").skipped_total;
  ASSERT_TRUE(run_until(io_, [&] { return has_run("slow", 4); }));
  EXPECT_EQ(status("slow").skipped_total, skipped) << "runs that keep up skip nothing";
}

// A reload keeps an unchanged collector as it is: its status, counters,
// series and schedule; a changed one starts afresh with a run now, its
// series gone until then; a removed one's series go at once.
TEST_F(SchedulerTest, ReloadKeepsUnchangedCollectorsAndRestartsChangedOnes) {
  auto kept = std::make_shared<Script>();
  auto changed = std::make_shared<Script>();
  auto removed = std::make_shared<Script>();
  kept->series = 3;
  std::vector<CollectorConfig> first;
  first.push_back(fake("kept", kept));
  first.push_back(fake("changed", changed));
  first.push_back(fake("removed", removed));
  scheduler_.apply(std::move(first), Limits{});
  ASSERT_TRUE(run_until(io_, [&] { return has_run("kept", 2) && has_run("changed", 1) && has_run("removed", 1); }));
  const CollectorStatus* kept_status = &status("kept");
  const auto kept_runs = kept_status->runs_total;
  ASSERT_EQ(store_.series("kept"), 3u);
  ASSERT_EQ(store_.series("changed"), 1u);
  ASSERT_EQ(store_.series("removed"), 1u);
  const auto changed_runs = changed->dues.size();
  const auto removed_runs = removed->dues.size();

  // As a reload makes them: new collector objects, the same fingerprint
  // for the unchanged one.
  auto kept_reloaded = std::make_shared<Script>();
  auto changed_reloaded = std::make_shared<Script>();
  auto added = std::make_shared<Script>();
  std::vector<CollectorConfig> second;
  second.push_back(fake("kept", kept_reloaded));
  second.push_back(fake("changed", changed_reloaded, 200ms, "2"));
  second.push_back(fake("added", added));
  scheduler_.apply(std::move(second), Limits{});

  // At once, before the loop runs again.
  EXPECT_EQ(&status("kept"), kept_status) << "the unchanged collector's status was replaced";
  EXPECT_EQ(status("kept").runs_total, kept_runs) << "the unchanged collector was run by the reload";
  EXPECT_EQ(store_.series("kept"), 3u) << "the unchanged collector's series went missing";
  EXPECT_EQ(store_.series("changed"), 0u);
  EXPECT_EQ(store_.series("removed"), 0u);
  EXPECT_EQ(status("changed").runs_total, 1u) << "a changed collector starts afresh, with a run now";
  EXPECT_EQ(status("added").runs_total, 1u);
  EXPECT_EQ(scheduler_.statuses().size(), 3u);

  ASSERT_TRUE(run_until(io_, [&] { return has_run("kept", kept_runs + 2) && has_run("changed", 2); }));
  EXPECT_TRUE(kept_reloaded->dues.empty()) << "the reloaded copy of an unchanged collector ran";
  EXPECT_EQ(changed->dues.size(), changed_runs) << "the replaced collector still runs";
  EXPECT_EQ(removed->dues.size(), removed_runs) << "the removed collector still runs";
  // The kept collector's ticks stay on the grid it had before the reload.
  const auto& dues = kept->dues;
  for (std::size_t k = 2; k < dues.size(); ++k) {
    EXPECT_EQ((dues[k] - dues[1]) % 200ms, steady_clock::duration::zero()) << "the reload moved its schedule";
  }
  EXPECT_EQ(store_.series("changed"), 1u);
  EXPECT_EQ(store_.series("added"), 1u);
}

// Collectors starting together begin their first runs as places free up,
// limits.max_concurrent at a time and in configuration order, rather than
// all at once to wait inside the runner (README "Scheduling"). One waiting
// for its place counts as running, so its ticks are skipped and counted;
// its first run is due when the schedule started, so the wait shows as
// lateness; one removed while it waits never runs.
TEST_F(SchedulerTest, FirstRunsBeginAsPlacesFreeUpInConfigurationOrder) {
  constexpr std::size_t kCollectors = 12;
  constexpr std::size_t kPlaces = 3;
  std::vector<std::shared_ptr<Script>> scripts;
  std::vector<CollectorConfig> configs;
  for (std::size_t i = 0; i < kCollectors; ++i) {
    scripts.push_back(std::make_shared<Script>());
    scripts.back()->hold = true;
    configs.push_back(fake("c" + std::to_string(100 + i), scripts.back(), 60'000ms));
  }
  Limits limits;
  limits.max_concurrent = kPlaces;
  const auto applied = steady_clock::now();
  scheduler_.apply(std::move(configs), limits);
  const auto begun = [&] {
    std::size_t count = 0;
    for (const auto& script : scripts) count += !script->dues.empty();
    return count;
  };
  // Every handler ready to run has run: nothing more would begin by itself.
  io_.poll();
  EXPECT_EQ(begun(), kPlaces);
  EXPECT_EQ(scheduler_.runs_in_flight(), kCollectors) << "a first run waiting for its place is in flight";
  EXPECT_TRUE(status("c111").running);
  EXPECT_EQ(status("c111").runs_total, 0u);

  // One whose runs start no command (textfile) has nothing to wait for.
  auto reader = std::make_shared<Script>();
  reader->hold = true;
  reader->commands = false;
  std::vector<CollectorConfig> with_reader;
  for (std::size_t i = 0; i < kCollectors; ++i) with_reader.push_back(fake("c" + std::to_string(100 + i), scripts[i], 60'000ms));
  with_reader.push_back(fake("reader", reader, 60'000ms));
  scheduler_.apply(std::move(with_reader), limits);
  io_.poll();
  EXPECT_EQ(reader->dues.size(), 1u) << "a collector running no command waited for a place";
  EXPECT_EQ(begun(), kPlaces);
  reader->release();

  // Removed while it waits (a reload without it): it never runs.
  std::vector<CollectorConfig> kept;
  for (std::size_t i = 0; i < kCollectors; ++i) {
    if (i != 4) kept.push_back(fake("c" + std::to_string(100 + i), scripts[i], 60'000ms));
  }
  kept.push_back(fake("reader", reader, 60'000ms));
  scheduler_.apply(std::move(kept), limits);
  ASSERT_TRUE(run_until(io_, [&] { return !status("reader").running; }));
  EXPECT_EQ(scheduler_.runs_in_flight(), kCollectors - 1);

  // Each run that ends lets the next waiting one begin, in order; its due
  // is still when the schedules started, before that run ended.
  std::vector<std::size_t> order;
  for (std::size_t i = 0; i < kCollectors; ++i) {
    if (i != 4) order.push_back(i);
  }
  for (std::size_t k = 0; k + kPlaces < order.size(); ++k) {
    const auto next = order[k + kPlaces];
    SCOPED_TRACE("c" + std::to_string(100 + next));
    const auto released = steady_clock::now();
    scripts[order[k]]->release();
    ASSERT_TRUE(run_until(io_, [&] { return !scripts[next]->dues.empty(); }));
    io_.poll();
    for (std::size_t j = k + kPlaces + 1; j < order.size(); ++j) EXPECT_TRUE(scripts[order[j]]->dues.empty());
    EXPECT_GE(scripts[next]->dues[0], applied);
    EXPECT_LT(scripts[next]->dues[0], released) << "due when its place came, not when its schedule started";
  }
  EXPECT_TRUE(scripts[4]->dues.empty()) << "the removed collector ran";
  for (auto& script : scripts) script->release();
  ASSERT_TRUE(run_until(io_, [&] { return scheduler_.runs_in_flight() == 0; }));
}

// limits.max_series: a run printing more fails (reason series_limit) and
// exposes nothing; one printing exactly as many succeeds.
TEST_F(SchedulerTest, FailsARunOverTheSeriesLimit) {
  auto over = std::make_shared<Script>();
  auto at = std::make_shared<Script>();
  over->series = 6;
  at->series = 5;
  std::vector<CollectorConfig> configs;
  configs.push_back(fake("over", over));
  configs.push_back(fake("at", at));
  Limits limits;
  limits.max_series = 5;
  scheduler_.apply(std::move(configs), limits);
  ASSERT_TRUE(run_until(io_, [&] { return has_run("over", 1) && has_run("at", 1); }));

  const auto& failed = status("over");
  EXPECT_FALSE(failed.up);
  EXPECT_EQ(failed.last_failure, FailureReason::series_limit);
  EXPECT_EQ(failed.failures_total[static_cast<std::size_t>(FailureReason::series_limit)], 1u);
  EXPECT_NE(failed.last_error.find("6 series, more than limits.max_series (5)"), std::string::npos)
      << failed.last_error;
  EXPECT_EQ(store_.series("over"), 0u);

  EXPECT_TRUE(status("at").up);
  EXPECT_EQ(store_.series("at"), 5u);
}

// An exception out of a plugin's run is gleaner's fault, not the command's
// output: reason internal, never parse; and the schedule goes on.
TEST_F(SchedulerTest, AnExceptionFromAPluginIsAnInternalFailure) {
  auto script = std::make_shared<Script>();
  script->throws = true;
  std::vector<CollectorConfig> configs;
  configs.push_back(fake("faulty", script, 100ms));
  scheduler_.apply(std::move(configs), Limits{});
  ASSERT_TRUE(run_until(io_, [&] { return has_run("faulty", 2); }));
  const auto& failed = status("faulty");
  EXPECT_EQ(failed.last_failure, FailureReason::internal);
  EXPECT_GE(failed.failures_total[static_cast<std::size_t>(FailureReason::internal)], 1u);
  EXPECT_EQ(failed.failures_total[static_cast<std::size_t>(FailureReason::parse)], 0u);
  EXPECT_NE(failed.last_error.find("a fault of the fake"), std::string::npos) << failed.last_error;
}

// A failed run removes the series of the one before it.
TEST_F(SchedulerTest, AFailedRunWithdrawsTheCollectorsSeries) {
  auto script = std::make_shared<Script>();
  std::vector<CollectorConfig> configs;
  configs.push_back(fake("flaky", script, 100ms));
  scheduler_.apply(std::move(configs), Limits{});
  ASSERT_TRUE(run_until(io_, [&] { return has_run("flaky", 1); }));
  ASSERT_EQ(store_.series("flaky"), 1u);
  script->fail = true;
  const auto runs = status("flaky").runs_total;
  ASSERT_TRUE(run_until(io_, [&] { return has_run("flaky", runs + 1); }));
  EXPECT_FALSE(status("flaky").up);
  EXPECT_EQ(status("flaky").last_failure, FailureReason::exit_code);
  EXPECT_EQ(store_.series("flaky"), 0u);
}

// The collector's timeout bounds the whole run: two commands of 1.5 s each
// under a 2 s timeout end at 2 s with reason timeout (each command alone
// fits; run one after the other without a deadline for the run, they would
// take 3 s and succeed).
TEST_F(SchedulerTest, TheTimeoutBoundsTheWholeRunNotEachCommand) {
  auto settings = settings_for("two_commands", std::chrono::hours(1));
  settings.timeout = 2s;
  std::vector<CollectorConfig> configs;
  configs.push_back(CollectorConfig{settings, "1", std::make_shared<TwoCommandCollector>(settings), {}});
  scheduler_.apply(std::move(configs), Limits{});
  ASSERT_TRUE(run_until(io_, [&] { return has_run("two_commands", 1); }));
  const auto& run = status("two_commands");
  const auto took = std::chrono::duration<double>(run.last_duration).count();
  std::printf("two commands of 1.5 s under a 2 s timeout: the run took %.3f s\n", took);
  EXPECT_EQ(run.last_failure, FailureReason::timeout) << run.last_error;
  EXPECT_LT(run.last_duration, 3s) << "each command got the whole timeout";
  EXPECT_GE(run.last_duration, 2s - 50ms) << "the run ended before its timeout";
}

// The run's debug line (README "What is logged") ends with the command
// that was not started and why, not with the earlier one's "exit code 0";
// --once --verbose (the observer) hears of it too (README "Scheduling").
TEST_F(SchedulerTest, TheDebugLineEndsWithACommandNotStartedForWantOfTime) {
  std::ostringstream log;
  auto logger = std::make_shared<spdlog::logger>("test", std::make_shared<spdlog::sinks::ostream_sink_st>(log));
  logger->set_pattern("%v");
  const auto previous = spdlog::default_logger();
  const auto previous_level = spdlog::get_level();
  spdlog::set_default_logger(logger);
  spdlog::set_level(spdlog::level::debug);

  std::vector<std::string> observed;  // "argv[0]: how it ended", as --verbose shows them
  RunObserver observer;
  observer.command = [&](const std::string&, const subprocess::Command& command, const subprocess::Result& result) {
    observed.push_back(command.argv.front() + ": " + result.describe());
  };
  scheduler_.observe(std::move(observer));

  auto settings = settings_for("out_of_time", std::chrono::hours(1));
  settings.timeout = 2s;
  std::vector<CollectorConfig> configs;
  configs.push_back(CollectorConfig{settings, "1", std::make_shared<OutOfTimeCollector>(settings), {}});
  scheduler_.apply(std::move(configs), Limits{});
  const bool ran = run_until(io_, [&] { return has_run("out_of_time", 1); });
  spdlog::set_default_logger(previous);
  spdlog::set_level(previous_level);
  ASSERT_TRUE(ran);
  EXPECT_EQ(status("out_of_time").last_failure, FailureReason::timeout);
  EXPECT_THAT(log.str(), ::testing::HasSubstr("collector out_of_time: ran true; echo (timeout: not started: the run's "
                                              "earlier commands took its whole timeout (2000ms)) in "))
      << log.str();
  EXPECT_THAT(log.str(), ::testing::HasSubstr(", read 0 bytes, failed (timeout)")) << log.str();
  EXPECT_THAT(observed, ::testing::ElementsAre("true: exit code 0",
                                               "echo: timeout: not started: the run's earlier commands took its "
                                               "whole timeout (2000ms)"));
}

// run_each_once (--once): every collector runs once, and done is called
// when the last outcome is recorded, failures included.
TEST_F(SchedulerTest, RunEachOnceCallsDoneWhenEveryOutcomeIsRecorded) {
  auto good = std::make_shared<Script>();
  auto bad = std::make_shared<Script>();
  bad->fail = true;
  std::vector<CollectorConfig> configs;
  configs.push_back(fake("good", good));
  configs.push_back(fake("bad", bad));
  scheduler_.apply(std::move(configs), Limits{}, /*start=*/false);
  bool done = false;
  scheduler_.run_each_once([&] { done = true; });
  ASSERT_TRUE(run_until(io_, [&] { return done; }));
  EXPECT_EQ(good->dues.size(), 1u);
  EXPECT_EQ(bad->dues.size(), 1u);
  EXPECT_TRUE(status("good").up);
  EXPECT_EQ(status("bad").last_failure, FailureReason::exit_code);
}

}  // namespace
}  // namespace gleaner::daemon
