#include "daemon/scheduler/scheduler.h"

#include "daemon/scheduler/scheduled_collector.h"

namespace gleaner::daemon {

Scheduler::Scheduler(boost::asio::any_io_executor executor, subprocess::ProcessRunner& runner,
                     metrics::MetricStore& store)
    : executor_(std::move(executor)),
      runner_(runner),
      outcomes_(executor_, worker_.executor(), store, observer_,
                [this](const std::string& name) { return status_of(name); }) {
  outcomes_.on_recorded([this] { recorded(); });
}

Scheduler::~Scheduler() { stop(); }

void Scheduler::apply(std::vector<CollectorConfig> collectors, const Limits& limits, bool start) {
  outcomes_.set_max_series(limits.max_series);
  runner_.set_max_concurrent(limits.max_concurrent);
  first_runs_.set_places(limits.max_concurrent);
  // The configuration's order settles which collector keeps a name that
  // two print differently (README "What a collector may expose").
  std::vector<std::string> precedence;
  precedence.reserve(collectors.size());
  for (const auto& config : collectors) precedence.push_back(config.settings.name);
  const ScheduledCollector::Services services{executor_, runner_, worker_.executor(), lateness_, observer_, outcomes_};
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
    auto scheduled = std::make_shared<ScheduledCollector>(services, std::move(config));
    to_start.push_back(scheduled);
    next.emplace(name, std::move(scheduled));
  }
  // What is left was removed or changed.
  for (auto& [name, old] : collectors_) {
    old->stop();
    if (old->status().running) draining_.push_back(old);
    if (next.count(name) == 0) outcomes_.withdraw(name);
  }
  collectors_ = std::move(next);
  outcomes_.set_precedence(precedence);
  for (auto& scheduled : to_start) {
    outcomes_.withdraw(scheduled->config().settings.name);  // a changed one starts afresh
    if (start) scheduled->start_schedule(first_runs_);
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
  first_runs_.clear();
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

CollectorStatus* Scheduler::status_of(const std::string& name) {
  const auto it = collectors_.find(name);
  return it == collectors_.end() ? nullptr : &it->second->status();
}

void Scheduler::recorded() {
  std::erase_if(draining_, [](const auto& c) { return !c->status().running; });
  if (once_done_ && once_pending_ > 0 && --once_pending_ == 0) {
    auto callback = std::move(once_done_);
    once_done_ = nullptr;
    callback();
  }
}

}  // namespace gleaner::daemon
