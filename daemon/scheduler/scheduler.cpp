#include "daemon/scheduler/scheduler.h"

#include <spdlog/spdlog.h>

#include <algorithm>

#include "daemon/scheduler/scheduled_collector.h"
#include "metrics/validate.h"

namespace gleaner::daemon {
namespace {

using plugins::CollectOutcome;
using plugins::FailureReason;

std::size_t count_series(const metrics::Families& families) {
  std::size_t count = 0;
  for (const auto& family : families) count += family.samples.size();
  return count;
}

// The end of a command's stderr, on one log line.
std::string stderr_summary(std::string_view tail) {
  constexpr std::size_t kMax = 512;
  if (tail.size() > kMax) tail = tail.substr(tail.size() - kMax);
  std::string text(tail);
  while (!text.empty() && (text.back() == '\n' || text.back() == '\r')) text.pop_back();
  std::replace(text.begin(), text.end(), '\n', '|');
  return text;
}

}  // namespace

Scheduler::Scheduler(boost::asio::any_io_executor executor, subprocess::ProcessRunner& runner,
                     metrics::MetricStore& store)
    : executor_(std::move(executor)), runner_(runner), store_(store) {}

Scheduler::~Scheduler() { stop(); }

void Scheduler::apply(std::vector<CollectorConfig> collectors, const Limits& limits, bool start) {
  limits_ = limits;
  runner_.set_max_concurrent(limits.max_concurrent);
  std::map<std::string, std::shared_ptr<ScheduledCollector>> next;
  std::vector<std::shared_ptr<ScheduledCollector>> to_start;
  for (auto& config : collectors) {
    const auto name = config.settings.name;
    const auto existing = collectors_.find(name);
    if (existing != collectors_.end() && existing->second->config().fingerprint == config.fingerprint) {
      next.emplace(name, existing->second);  // unchanged: keeps schedule, series, counters
      collectors_.erase(existing);
      continue;
    }
    auto scheduled = std::make_shared<ScheduledCollector>(*this, std::move(config));
    to_start.push_back(scheduled);
    next.emplace(name, std::move(scheduled));
  }
  // What is left was removed or changed.
  for (auto& [name, old] : collectors_) {
    old->stop();
    if (old->status().running) draining_.push_back(old);
    if (next.count(name) == 0) store_.remove(name);
  }
  collectors_ = std::move(next);
  for (auto& scheduled : to_start) {
    store_.remove(scheduled->config().settings.name);  // a changed one starts afresh
    if (start) scheduled->start_schedule();
  }
}

void Scheduler::run_each_once(std::function<void()> done) {
  once_done_ = std::move(done);
  once_pending_ = collectors_.size();
  if (once_pending_ == 0) {
    auto callback = std::move(once_done_);
    callback();
    return;
  }
  for (auto& [name, collector] : collectors_) collector->run_now();
}

void Scheduler::stop() {
  for (auto& [name, collector] : collectors_) {
    collector->stop();
    if (collector->status().running) draining_.push_back(collector);
  }
}

std::vector<const CollectorStatus*> Scheduler::statuses() const {
  std::vector<const CollectorStatus*> result;
  result.reserve(collectors_.size());
  for (const auto& [name, collector] : collectors_) result.push_back(&collector->status());
  return result;
}

std::size_t Scheduler::runs_in_flight() const {
  std::size_t count = 0;
  for (const auto& [name, collector] : collectors_) count += collector->status().running;
  for (const auto& collector : draining_) count += collector->status().running;
  return count;
}

void Scheduler::finished(ScheduledCollector& collector, CollectOutcome outcome) {
  std::erase_if(draining_, [](const auto& c) { return !c->status().running; });
  auto& status = collector.status();
  const auto& settings = collector.config().settings;
  if (outcome.ok()) {
    const std::size_t series = count_series(outcome.families);
    if (series > limits_.max_series) {
      outcome = CollectOutcome::failed(FailureReason::series_limit,
                                       std::to_string(series) + " series, more than limits.max_series (" +
                                           std::to_string(limits_.max_series) + ")");
    } else if (auto problem = metrics::check_families(outcome.families); !problem.empty()) {
      outcome = CollectOutcome::failed(FailureReason::parse, "invalid series: " + problem);
    }
  }
  if (outcome.ok()) {
    store_.publish(settings.name, outcome.families, settings.labels);
    collector.failure_log().succeeded();
    status.up = true;
    status.last_failure.reset();
    status.last_success = std::chrono::system_clock::now();
    status.series = store_.series(settings.name);
  } else {
    store_.remove(settings.name);
    const auto reason = *outcome.failure;
    ++status.failures(reason);
    status.up = false;
    status.series = 0;
    status.last_failure = reason;
    const auto stderr_text = stderr_summary(outcome.stderr_tail);
    status.last_error = stderr_text.empty() ? outcome.message : outcome.message + "; stderr: " + stderr_text;
    collector.failure_log().failed(reason, status.last_error);
  }
  if (once_done_ && once_pending_ > 0 && --once_pending_ == 0) {
    auto callback = std::move(once_done_);
    once_done_ = nullptr;
    callback();
  }
}

void Scheduler::stream_ended(ScheduledCollector& collector, CollectOutcome end) {
  if (!end.ok()) {
    finished(collector, std::move(end));
    return;
  }
  // A clean exit is no failure, but the values it printed are no longer
  // current: they go until the restarted command prints again.
  auto& status = collector.status();
  store_.remove(status.name);
  status.series = 0;
  status.up = false;
  status.last_error = "the command exited; restarting";
  spdlog::info("collector {}: the stream command exited; restarting", status.name);
}

}  // namespace gleaner::daemon
