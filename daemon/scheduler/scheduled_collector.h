#pragma once
// One collector under the scheduler: its timer, its run in flight, its status.

#include <boost/asio/any_io_executor.hpp>
#include <boost/asio/cancellation_signal.hpp>
#include <boost/asio/steady_timer.hpp>
#include <chrono>
#include <exception>
#include <functional>
#include <memory>

#include "daemon/config/daemon_config.h"
#include "daemon/scheduler/collector_status.h"
#include "daemon/scheduler/failure_log.h"
#include "daemon/scheduler/first_run_queue.h"
#include "daemon/scheduler/lateness_histogram.h"
#include "daemon/scheduler/restart_backoff.h"
#include "daemon/scheduler/run_observer.h"
#include "daemon/scheduler/run_outcome_sink.h"
#include "daemon/scheduler/run_trace.h"
#include "plugins/plugin_api.h"
#include "common/subprocess/process_runner.h"

namespace gleaner::daemon {

class ScheduledCollector : public std::enable_shared_from_this<ScheduledCollector> {
 public:
  // What a collector's runs use, all outliving it but its runs: the owner
  // (the Scheduler) keeps them.
  struct Services {
    boost::asio::any_io_executor executor;  // the daemon's loop: timers and runs
    subprocess::ProcessRunner& runner;
    boost::asio::any_io_executor off_loop;  // for CPU-heavy pure work (OffLoopWorker)
    LatenessHistogram& lateness;            // how late runs start against their ticks
    const RunObserver& observer;            // --once --verbose
    RunOutcomeSink& outcomes;               // what each run comes to
  };

  ScheduledCollector(const Services& services, CollectorConfig config);

  // The schedule starts now; its first run when `first_runs` has a place
  // for it (at once for a stream's command, or a collector that runs none). Until then it counts as running,
  // so a tick that comes first is skipped and counted.
  void start_schedule(FirstRunQueue& first_runs);
  // One run now, no schedule (for --once).
  void run_now();
  // Cancels the timer and any run in flight; its outcome is then dropped.
  void stop();

  const CollectorConfig& config() const { return config_; }
  CollectorStatus& status() { return status_; }
  const CollectorStatus& status() const { return status_; }
  bool stopped() const { return stopped_; }
  // What the log says about its failures (summarised while they repeat).
  FailureLog& failure_log() { return failure_log_; }
  // What the current (or last) run did, for its log lines.
  const RunTrace& run_trace() const { return run_trace_; }

 private:
  void wait_for_tick();
  void on_tick();
  // `ended`, if set, is called when the run is over, however it ends.
  void start_run(std::chrono::steady_clock::time_point due, std::function<void()> ended = {});
  void run_ended(std::exception_ptr error, plugins::CollectOutcome outcome, std::chrono::steady_clock::time_point started);
  void start_stream();
  void restart_stream_later();
  void note_persistent_command(const plugins::CollectOutcome& outcome);

  Services services_;
  CollectorConfig config_;
  CollectorStatus status_;
  FailureLog failure_log_;
  boost::asio::steady_timer timer_;
  boost::asio::cancellation_signal cancel_run_;
  std::chrono::steady_clock::time_point schedule_start_;
  std::chrono::steady_clock::time_point next_tick_;
  std::uint64_t tick_ = 0;
  // Where in its interval this collector's ticks fall (see wait_for_tick).
  std::chrono::milliseconds phase_{0};
  bool stopped_ = false;
  bool first_run_waiting_ = false;  // in the FirstRunQueue
  // One run at a time, so one context: it outlives each run's coroutine.
  plugins::CollectContext context_;
  bool start_observed_ = false;
  RunTrace run_trace_;
  // Stream and persistent commands: when the current one started, and how
  // long to wait once it ends.
  RestartBackoff restart_backoff_;
  std::chrono::steady_clock::time_point command_started_;
  // A persistent command that ended: ticks before this are skipped, and the
  // next run starts it again (a restart).
  bool restart_due_ = false;
  std::chrono::steady_clock::time_point restart_not_before_;
};

}  // namespace gleaner::daemon
