#pragma once
// The interface a plugin implements, and the registry that finds plugins by
// name. A plugin registers a factory from its own folder (see
// GLEANER_REGISTER_PLUGIN); the daemon looks the factory up by the
// collector's `plugin:` key, and the factory reads and validates the
// plugin's own keys before it constructs anything: a collector only ever
// exists for a configuration that is valid.

#include <boost/asio/awaitable.hpp>
#include <chrono>
#include <cstddef>
#include <cstdint>
#include <functional>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "common/config/map_reader.h"
#include "common/metrics/sample.h"
#include "common/subprocess/process_runner.h"

namespace gleaner::plugins {

// Why a run failed, as the `reason` label of gleaner_collector_failures_total
// (README "Metrics about gleaner itself" says what each means).
enum class FailureReason { spawn, timeout, exit_code, output_limit, parse, series_limit, internal };

inline constexpr FailureReason kAllFailureReasons[] = {
    FailureReason::spawn,        FailureReason::timeout,      FailureReason::exit_code, FailureReason::output_limit,
    FailureReason::parse,        FailureReason::series_limit, FailureReason::internal,
};

std::string_view to_string(FailureReason reason);

// The keys every collector has, with defaults already applied.
struct CollectorSettings {
  std::string name;
  std::string plugin;
  std::chrono::milliseconds interval{30'000};
  std::chrono::milliseconds timeout{10'000};
  std::size_t max_output = 1024 * 1024;
  metrics::Labels labels;  // the configured constant labels
};

// What one run came to: families, or why there are none.
struct CollectOutcome {
  metrics::Families families;
  std::optional<FailureReason> failure;
  std::string message;      // for the log and the status page
  std::string stderr_tail;  // the command's last words, when it failed
  // Lines a parser left out under `on_error: skip`, and why the first was.
  std::size_t skipped = 0;
  std::string first_skipped;
  std::size_t skipped_duplicates = 0;  // of `skipped`, lines that repeated a series
  // A stream's records that came before this one and were coalesced away
  // (the stream printed faster than it is read): counted as skipped.
  std::uint64_t records_skipped = 0;
  // A persistent collector's command: started for this run (the first time,
  // or again after it ended), and ended by it (it failed; the next run
  // starts it again after the restart backoff).
  bool command_started = false;
  bool command_ended = false;

  bool ok() const { return !failure.has_value(); }
  static CollectOutcome success(metrics::Families families) { return {std::move(families), {}, {}, {}, 0, {}, 0, 0}; }
  static CollectOutcome failed(FailureReason reason, std::string message, std::string stderr_tail = {}) {
    return {{}, reason, std::move(message), std::move(stderr_tail), 0, {}, 0, 0};
  }
};

// What a collector may use while it runs.
struct CollectContext {
  subprocess::ProcessRunner& runner;
  // When this run was due (its tick), and who wants to hear, as each
  // command starts, when it did: how late runs start is a measure of the
  // scheduler, reported as gleaner_scheduler_lateness_seconds.
  std::chrono::steady_clock::time_point due{};
  std::function<void(std::chrono::steady_clock::time_point started)> on_command_started;
  // Where CPU-heavy pure work (parsing a very large output) may run, off
  // the daemon's loop; without one, such work runs inline.
  boost::asio::any_io_executor off_loop{};
  // Who wants to see each command's run whole, before it is judged
  // (`--once --verbose`), and the run's trace for its log lines: called by
  // run_command (command_run.h), also for a command it did not start for
  // want of time, so a plugin that runs its commands through it needs
  // nothing more.
  std::function<void(const subprocess::Command& command, const subprocess::Result& result)> on_command_finished;
  // The same for what a plugin reads without a command (the textfile
  // plugin's files): a line each, e.g. "read x.prom: 120 bytes, 3 series".
  std::function<void(const std::string& line)> on_detail;
  // The collector's timeout bounds a whole run, not each of its commands
  // (README "Scheduling"): how long this run's commands have run so far.
  // run_command (command_run.h) gives each command what the earlier ones
  // left and adds its time here; the scheduler sets it to zero at each run.
  std::chrono::steady_clock::duration commands_ran{};
};

enum class CollectorMode {
  periodic,  // collect() on every tick
  stream,    // stream() runs for ever; restarted with backoff when it ends
  persistent,  // collect() on every tick asks a command kept running; restarted with backoff when it fails
};

class Collector {
 public:
  using Publish = std::function<void(CollectOutcome)>;

  virtual ~Collector() = default;
  virtual CollectorMode mode() const { return CollectorMode::periodic; }
  // Whether its runs start commands (and so wait for a place among
  // limits.max_concurrent). One that does not (textfile) begins its first
  // run at once instead of in the start-up queue (README "Scheduling").
  virtual bool runs_commands() const { return true; }

  // One run. A failing command is an outcome, never an exception. Honours
  // asio cancellation (the runner terminates the command). For a stream
  // collector: the outcome of its first record (--once).
  virtual boost::asio::awaitable<CollectOutcome> collect(CollectContext& context) = 0;

  // Stream collectors: runs the command until it ends, publishing the
  // outcome of every record as it arrives; returns how the command ended
  // (a failure, or success for a clean exit).
  virtual boost::asio::awaitable<CollectOutcome> stream(CollectContext& context, Publish publish);

  // Ends what the collector keeps running between runs (a persistent
  // command): at the daemon's stop, and when a reload removes or changes it.
  virtual void stop() {}
};

// What a load does about a command whose program is not found.
enum class MissingExecutable {
  // Start-up and reload: nothing; each run fails with reason "spawn" until
  // the program is installed.
  not_checked,
  // --check-config: a warning with its position, the configuration valid.
  // Under systemd the check runs first: one program not installed (yet) must
  // not keep every other collector from starting.
  warning,
  // --check-config --strict (CI): an error.
  error,
};

// How strictly a configuration is checked.
struct ValidationOptions {
  MissingExecutable missing_executable = MissingExecutable::not_checked;
};

// One of a plugin's own keys, for `gleaner --list-plugins`: its name, and
// what it does with its default, if it has one ("default true: df -l").
struct PluginOption {
  std::string name;
  std::string summary;
};

class PluginFactory {
 public:
  virtual ~PluginFactory() = default;
  virtual std::string_view name() const = 0;
  // One line of what the plugin does, and its own keys (not the common
  // ones every collector has), for `gleaner --list-plugins`.
  virtual std::string_view description() const { return {}; }
  virtual std::vector<PluginOption> options() const { return {}; }
  // Reads the plugin's own keys of a collector entry (the common keys are
  // already read), records every problem in entry.errors(), and returns a
  // collector only when there was none.
  virtual std::unique_ptr<Collector> create(const CollectorSettings& settings, config::MapReader& entry,
                                            const ValidationOptions& options) const = 0;
};

class PluginRegistry {
 public:
  static PluginRegistry& instance();
  void add(std::unique_ptr<PluginFactory> factory);
  const PluginFactory* find(std::string_view name) const;
  std::vector<std::string> names() const;

 private:
  std::map<std::string, std::unique_ptr<PluginFactory>, std::less<>> factories_;
};

// Registers a factory at start-up, from the plugin's own source file; use it
// inside the plugin's namespace. The plugin's target must be an OBJECT
// library so that the linker keeps the registration.
#define GLEANER_REGISTER_PLUGIN(FactoryType)                                                  \
  [[maybe_unused]] static const bool gleaner_registered_##FactoryType = [] {                  \
    ::gleaner::plugins::PluginRegistry::instance().add(std::make_unique<FactoryType>());      \
    return true;                                                                              \
  }();

}  // namespace gleaner::plugins
