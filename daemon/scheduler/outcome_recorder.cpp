#include "daemon/scheduler/outcome_recorder.h"

#include <spdlog/spdlog.h>

#include <algorithm>
#include <boost/asio/post.hpp>

#include "daemon/scheduler/off_loop_worker.h"
#include "daemon/scheduler/run_trace.h"
#include "daemon/scheduler/scheduled_collector.h"
#include "common/logging/logging.h"

namespace gleaner::daemon {
namespace {

using plugins::CollectOutcome;
using plugins::FailureReason;

// The end of a command's stderr, on one log line.
std::string stderr_summary(std::string_view tail) {
  constexpr std::size_t kMax = 512;
  if (tail.size() > kMax) tail = tail.substr(tail.size() - kMax);
  std::string text(tail);
  while (!text.empty() && (text.back() == '\n' || text.back() == '\r')) text.pop_back();
  std::replace(text.begin(), text.end(), '\n', '|');
  return text;
}

std::string describe(const metrics::DropCounts& dropped) {
  std::string text;
  for (const auto reason : metrics::kAllDropReasons) {
    if (dropped[reason] == 0) continue;
    if (!text.empty()) text += ", ";
    text += std::to_string(dropped[reason]) + " " + std::string(metrics::to_string(reason));
  }
  return text;
}

// `collector` and the configured labels, which every series gets first.
metrics::Labels labels_added_to(const plugins::CollectorSettings& settings) {
  metrics::Labels added{metrics::Label{"collector", settings.name}};
  added.insert(added.end(), settings.labels.begin(), settings.labels.end());
  return added;
}

}  // namespace

OutcomeRecorder::OutcomeRecorder(boost::asio::any_io_executor loop, boost::asio::any_io_executor off_loop,
                                 metrics::MetricStore& store, const RunObserver& observer, StatusLookup statuses)
    : loop_(std::move(loop)),
      off_loop_(std::move(off_loop)),
      store_(store),
      observer_(observer),
      statuses_(std::move(statuses)) {}

void OutcomeRecorder::finished(ScheduledCollector& collector, CollectOutcome outcome, bool may_defer) {
  if (observer_.outcome) observer_.outcome(collector.config().settings.name, outcome);
  log_run_at_debug(collector.config().settings.name, collector.run_trace(), outcome);
  if (outcome.ok()) {
    const std::size_t series = metrics::count_samples(outcome.families);
    if (series > max_series_) {
      outcome = CollectOutcome::failed(FailureReason::series_limit,
                                       std::to_string(series) + " series, more than limits.max_series (" +
                                           std::to_string(max_series_) + ")");
    } else if (may_defer && series >= kOffLoopSeries) {
      admit_off_loop(collector, std::move(outcome));
      return;
    }
  }
  record(collector, std::move(outcome), std::nullopt);
}

// Admitting a million series takes seconds: that happens on the worker,
// and only the swap into the store on the loop. The collector counts as
// running meanwhile, so its next tick is skipped rather than overtaking.
void OutcomeRecorder::admit_off_loop(ScheduledCollector& collector, CollectOutcome outcome) {
  collector.status().running = true;
  auto added = labels_added_to(collector.config().settings);
  // The worker touches nothing of this recorder's: the Scheduler that owns
  // it may be gone (its worker joins this job after the recorder is
  // destroyed), so the loop's executor travels by value, and `this` is used
  // back on the loop only once the collector is known not to be stopped.
  boost::asio::post(off_loop_, [this, loop = loop_, self = collector.shared_from_this(), outcome = std::move(outcome),
                                added = std::move(added)]() mutable {
    auto admission = metrics::admit(outcome.families, added);
    outcome.families = {};  // freed here rather than on the loop
    boost::asio::post(loop, [this, self = std::move(self), outcome = std::move(outcome),
                              admission = std::move(admission)]() mutable {
      self->status().running = false;
      if (self->stopped()) return;  // stopped or replaced meanwhile: nothing to publish
      record(*self, std::move(outcome), std::move(admission));
    });
  });
}

void OutcomeRecorder::record(ScheduledCollector& collector, CollectOutcome outcome,
                             std::optional<metrics::Admission> admission) {
  auto& status = collector.status();
  const auto& settings = collector.config().settings;
  if (outcome.ok()) {
    if (!admission) admission = metrics::admit(outcome.families, labels_added_to(settings));
    publish(collector, outcome, std::move(*admission));
  } else {
    store_.remove(settings.name);
    const auto reason = *outcome.failure;
    ++status.failures(reason);
    status.up = false;
    status.series = 0;
    status.last_failure = reason;
    const auto stderr_text = stderr_summary(outcome.stderr_tail);
    status.last_error = stderr_text.empty() ? outcome.message : outcome.message + "; stderr: " + stderr_text;
    collector.failure_log().failed(reason, status.last_error, FailureLog::Clock::now(),
                                   collector.run_trace().command_fields());
  }
  update_series_counts();
  if (on_recorded_) on_recorded_();
}

// The admission point (README "What a collector may expose"): what the
// collector printed joins the exposition less what it may not show, and
// every series left out is counted by reason.
void OutcomeRecorder::publish(ScheduledCollector& collector, const CollectOutcome& outcome,
                              metrics::Admission admission) {
  auto& status = collector.status();
  const auto& settings = collector.config().settings;
  auto dropped = admission.dropped;
  std::string first_drop = std::move(admission.first_drop);
  if (outcome.skipped > 0) {
    if (dropped.total() == 0) first_drop = outcome.first_skipped;
    dropped[metrics::DropReason::duplicate] += outcome.skipped_duplicates;
    dropped[metrics::DropReason::malformed] += outcome.skipped - outcome.skipped_duplicates;
  }
  const auto published = store_.publish(settings.name, std::move(admission.families));
  if (published.conflicting > 0) {
    if (dropped.total() == 0) first_drop = published.first_conflict;
    dropped[metrics::DropReason::conflict] += published.conflicting;
  }
  for (const auto reason : metrics::kAllDropReasons) status.dropped(reason) += dropped[reason];

  collector.failure_log().succeeded();
  status.up = true;
  status.last_failure.reset();
  status.last_success = std::chrono::system_clock::now();
  status.series = store_.series(settings.name);
  // One line when what is dropped starts or changes, not one per run.
  const std::string drop_summary = dropped.total() == 0 ? "" : describe(dropped) + ": " + first_drop;
  if (drop_summary != status.last_drop) {
    if (drop_summary.empty()) {
      logging::event(spdlog::level::info, "collector " + settings.name + ": no series dropped any more",
                     {{"event", "series_exposed_again"}, {"collector", settings.name}});
    } else {
      logging::event(spdlog::level::warn, "collector " + settings.name + ": series not exposed (" + drop_summary + ")",
                     {{"event", "series_dropped"}, {"collector", settings.name}, {"dropped", drop_summary}});
    }
  }
  status.last_drop = drop_summary;
}

// One collector's result may hide or reveal another's families: series
// newly hidden are counted as dropped for a conflict now, so that they show
// in the metrics and the log even if that collector does not run again soon.
void OutcomeRecorder::update_series_counts() {
  for (const auto& name : store_.recounted()) {
    auto* status = statuses_(name);
    if (status == nullptr) continue;
    const auto series = store_.series(name);
    if (status->up && series < status->series) {
      const auto hidden = status->series - series;
      status->dropped(metrics::DropReason::conflict) += hidden;
      status->last_drop = std::to_string(hidden) + " conflict: " + store_.first_conflict(name);
      logging::event(spdlog::level::warn, "collector " + name + ": series not exposed (" + status->last_drop + ")",
                     {{"event", "series_dropped"}, {"collector", name}, {"dropped", status->last_drop}});
    }
    status->series = series;
  }
}

void OutcomeRecorder::withdraw(const std::string& name) {
  store_.remove(name);
  update_series_counts();
}

void OutcomeRecorder::set_precedence(const std::vector<std::string>& names) {
  store_.set_precedence(names);
  update_series_counts();
}

void OutcomeRecorder::stream_ended(ScheduledCollector& collector, CollectOutcome end) {
  if (!end.ok()) {
    finished(collector, std::move(end), /*may_defer=*/true);
    return;
  }
  // A clean exit is no failure, but the values it printed are no longer
  // current: they go until the restarted command prints again.
  auto& status = collector.status();
  store_.remove(status.name);
  update_series_counts();
  status.series = 0;
  status.up = false;
  status.last_error = "the command exited; restarting";
  logging::event(spdlog::level::info, "collector " + status.name + ": the stream command exited; restarting",
                 {{"event", "stream_exited"}, {"collector", status.name}});
}

}  // namespace gleaner::daemon
