#pragma once
// Runs every collector on its timer, on the daemon's one io_context.
//
// Fixed rate: runs start at start + k × interval, with no drift; the first
// at start-up. A tick that comes while the previous run is still going is
// skipped and counted. What a run comes to is the OutcomeRecorder's
// business (published whole, or the collector's series removed when a run
// fails); failures never stop the schedule.

#include <boost/asio/any_io_executor.hpp>
#include <functional>
#include <map>
#include <memory>
#include <string>
#include <vector>

#include "daemon/config/daemon_config.h"
#include "common/metrics/metric_store.h"
#include "common/subprocess/process_runner.h"
#include "daemon/scheduler/collector_status.h"
#include "daemon/scheduler/first_run_queue.h"
#include "daemon/scheduler/lateness_histogram.h"
#include "daemon/scheduler/off_loop_worker.h"
#include "daemon/scheduler/outcome_recorder.h"
#include "daemon/scheduler/run_observer.h"

namespace gleaner::daemon {

class ScheduledCollector;

class Scheduler {
 public:
  Scheduler(boost::asio::any_io_executor executor, subprocess::ProcessRunner& runner, metrics::MetricStore& store);
  ~Scheduler();
  Scheduler(const Scheduler&) = delete;
  Scheduler& operator=(const Scheduler&) = delete;

  // Makes `collectors` the running set. One whose fingerprint is unchanged
  // keeps its schedule, its series and its counters; a removed or changed
  // one is stopped (its run cancelled, its series removed); a new or
  // changed one starts with a run now, or as soon as one of
  // limits.max_concurrent places for first runs is free (unless start is
  // false: --once).
  void apply(std::vector<CollectorConfig> collectors, const Limits& limits, bool start = true);

  // Who hears, for --once --verbose, of each command and outcome (see
  // RunObserver). Set before apply(): a collector takes it when it is made.
  using RunObserver = daemon::RunObserver;
  void observe(RunObserver observer) { observer_ = std::move(observer); }

  // Runs every collector once, now, without scheduling more; calls done
  // when all have finished (for --once).
  void run_each_once(std::function<void()> done);

  // No more runs: timers cancelled, runs in flight cancelled.
  void stop();

  // In name order.
  std::vector<const CollectorStatus*> statuses() const;
  std::size_t runs_in_flight() const;
  const LatenessHistogram& lateness() const { return lateness_; }

 private:
  // Each time a run's outcome is recorded: the --once bookkeeping.
  void recorded();
  CollectorStatus* status_of(const std::string& name);

  boost::asio::any_io_executor executor_;
  subprocess::ProcessRunner& runner_;
  LatenessHistogram lateness_;
  std::map<std::string, std::shared_ptr<ScheduledCollector>> collectors_;
  // Stopped collectors whose run is still finishing (for runs_in_flight).
  std::vector<std::shared_ptr<ScheduledCollector>> draining_;
  FirstRunQueue first_runs_;
  OffLoopWorker worker_;
  RunObserver observer_;
  OutcomeRecorder outcomes_;
  std::size_t once_pending_ = 0;
  std::function<void()> once_done_;
};

}  // namespace gleaner::daemon
