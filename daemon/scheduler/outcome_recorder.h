#pragma once
// The one owner of what a run comes to. A collector's run (or a stream's
// record) ends with an outcome; here it meets limits.max_series and the
// admission point (README "What a collector may expose"), its series are
// published to the store or withdrawn, and the collector's status, its
// failure log and the debug line of the run are written. The scheduler
// only decides when runs happen.

#include <boost/asio/any_io_executor.hpp>
#include <cstddef>
#include <functional>
#include <optional>
#include <string>
#include <vector>

#include "daemon/scheduler/collector_status.h"
#include "daemon/scheduler/run_observer.h"
#include "daemon/scheduler/run_outcome_sink.h"
#include "common/metrics/admission.h"
#include "common/metrics/metric_store.h"

namespace gleaner::daemon {

class OutcomeRecorder final : public RunOutcomeSink {
 public:
  // The status of a collector now scheduled, by name, or nullptr: one
  // collector's publish may hide or reveal another's series.
  using StatusLookup = std::function<CollectorStatus*(const std::string& name)>;

  // off_loop: where a very large result is admitted (OffLoopWorker);
  // observer: its outcome member hears of every run as the plugin gave it.
  OutcomeRecorder(boost::asio::any_io_executor loop, boost::asio::any_io_executor off_loop,
                  metrics::MetricStore& store, const RunObserver& observer, StatusLookup statuses);

  void set_max_series(std::size_t max_series) { max_series_ = max_series; }
  // Called on the loop once a run's outcome is recorded, whether published
  // or failed (after its admission off the loop, if it went there).
  void on_recorded(std::function<void()> callback) { on_recorded_ = std::move(callback); }

  void finished(ScheduledCollector& collector, plugins::CollectOutcome outcome, bool may_defer) override;
  void stream_ended(ScheduledCollector& collector, plugins::CollectOutcome end) override;

  // A collector removed, or changed (it starts afresh): its series go.
  void withdraw(const std::string& name);
  // The configuration's order, which settles conflicts between collectors.
  void set_precedence(const std::vector<std::string>& names);

 private:
  void admit_off_loop(ScheduledCollector& collector, plugins::CollectOutcome outcome);
  void record(ScheduledCollector& collector, plugins::CollectOutcome outcome,
              std::optional<metrics::Admission> admission);
  void publish(ScheduledCollector& collector, const plugins::CollectOutcome& outcome, metrics::Admission admission);
  void update_series_counts();

  boost::asio::any_io_executor loop_;
  boost::asio::any_io_executor off_loop_;
  metrics::MetricStore& store_;
  const RunObserver& observer_;
  StatusLookup statuses_;
  std::size_t max_series_ = 10'000;
  std::function<void()> on_recorded_;
};

}  // namespace gleaner::daemon
