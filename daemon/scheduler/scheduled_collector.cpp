#include "daemon/scheduler/scheduled_collector.h"

#include <spdlog/spdlog.h>

#include <boost/asio/bind_cancellation_slot.hpp>
#include <boost/asio/co_spawn.hpp>
#include <algorithm>
#include <exception>

#include "common/logging/logging.h"

namespace gleaner::daemon {

namespace asio = boost::asio;
using std::chrono::steady_clock;

namespace {

// A fixed fraction of the interval, from the collector's name (FNV-1a): the
// same on every host and every restart, and different for different names,
// so that collectors with one interval do not all fire at the same instant.
// Phases fall on a grid of slots at least 10 ms wide (20 to 10,000 of them).
// Collectors sharing a slot start one after the other, each spawn keeping
// the loop some 0.1-0.5 ms, so the last of a crowded slot starts late: with
// 50 ms slots, 100 collectors every second shared 20 of them (up to a dozen
// in one) and the p99 lateness was 5-8 ms. Narrower slots leave fewer to
// share one, but each slot is a wake-up of the loop, which a busy host
// charges to the daemon's CPU: with 2 ms slots the lateness was lowest and
// the CPU per run 9-21 % higher than with 50 ms; with 10 ms, within the
// spread of runs (README "Performance").
constexpr long long kMinPhaseSlots = 20;
constexpr long long kMaxPhaseSlots = 10'000;
constexpr std::chrono::milliseconds kMinSlotWidth{10};

std::chrono::milliseconds phase_for(const std::string& name, std::chrono::milliseconds interval) {
  const long long slots = std::clamp<long long>(interval / kMinSlotWidth, kMinPhaseSlots, kMaxPhaseSlots);
  std::uint64_t hash = 14695981039346656037ull;
  for (unsigned char c : name) hash = (hash ^ c) * 1099511628211ull;
  const auto slot = static_cast<long long>(hash % static_cast<std::uint64_t>(slots));
  return std::chrono::milliseconds(slot * interval.count() / slots);
}

// An exception out of a plugin's run is a fault of gleaner's (a plugin
// reports a failing command as an outcome, never by throwing): reason
// internal, so that it is not taken for the command's fault.
plugins::CollectOutcome internal_failure(std::exception_ptr error) {
  try {
    std::rethrow_exception(error);
  } catch (const std::exception& e) {
    return plugins::CollectOutcome::failed(plugins::FailureReason::internal, std::string("internal error: ") + e.what());
  } catch (...) {
  }
  return plugins::CollectOutcome::failed(plugins::FailureReason::internal, "internal error");
}

}  // namespace

ScheduledCollector::ScheduledCollector(const Services& services, CollectorConfig config)
    : services_(services),
      config_(std::move(config)),
      failure_log_(config_.settings.name),
      timer_(services_.executor),
      phase_(phase_for(config_.settings.name, config_.settings.interval)),
      context_{services_.runner, {}, {}, services_.off_loop, {}, {}} {
  context_.on_command_started = [this](steady_clock::time_point started) {
    if (start_observed_) return;  // a run's lateness is its first command's
    start_observed_ = true;
    services_.lateness.observe(started - context_.due);
  };
  context_.on_command_finished = [this](const subprocess::Command& command, const subprocess::Result& result) {
    run_trace_.add(command, result);
    if (services_.observer.command) services_.observer.command(config_.settings.name, command, result);
  };
  if (services_.observer.detail) {
    context_.on_detail = [this](const std::string& line) { services_.observer.detail(config_.settings.name, line); };
  }
  status_.name = config_.settings.name;
  status_.plugin = config_.settings.plugin;
  status_.interval = config_.settings.interval;
  status_.streaming = config_.collector->mode() == plugins::CollectorMode::stream;
  status_.persistent = config_.collector->mode() == plugins::CollectorMode::persistent;
}

void ScheduledCollector::start_schedule(FirstRunQueue& first_runs) {
  if (status_.streaming) {
    start_stream();
    return;
  }
  schedule_start_ = steady_clock::now();
  next_tick_ = schedule_start_;
  tick_ = 0;
  if (!config_.collector->runs_commands()) {  // nothing to wait for a place
    start_run(schedule_start_);
    wait_for_tick();
    return;
  }
  status_.running = true;
  first_run_waiting_ = true;
  first_runs.push([weak = weak_from_this()](std::function<void()> ended) {
    const auto self = weak.lock();
    if (!self || !self->first_run_waiting_) return false;  // stopped while it waited
    self->first_run_waiting_ = false;
    // Due when the schedule started: the wait for a place is lateness.
    self->start_run(self->schedule_start_, std::move(ended));
    return true;
  });
  wait_for_tick();
}

void ScheduledCollector::run_now() { start_run(steady_clock::now()); }

// Ticks at start + phase + k × interval (k ≥ 1) after the run at start-up:
// a fixed rate, no drift, each collector at its own phase.
void ScheduledCollector::wait_for_tick() {
  const auto interval = config_.settings.interval;
  const auto grid_start = schedule_start_ + phase_;
  ++tick_;
  next_tick_ = grid_start + tick_ * interval;
  // After a suspend or a long stall, resume on the grid from now rather
  // than firing every missed tick in a burst.
  const auto now = steady_clock::now();
  if (next_tick_ + interval < now) {
    tick_ = static_cast<std::uint64_t>((now - grid_start) / interval) + 1;
    next_tick_ = grid_start + tick_ * interval;
  }
  timer_.expires_at(next_tick_);
  timer_.async_wait([self = shared_from_this()](const boost::system::error_code& error) {
    if (error || self->stopped_) return;
    self->on_tick();
  });
}

void ScheduledCollector::on_tick() {
  if (restart_due_ && steady_clock::now() < restart_not_before_) {
    ++status_.skipped_total;
    logging::event(spdlog::level::debug,
                   "collector " + status_.name + ": tick skipped, the command restarts after its backoff",
                   {{"event", "tick_skipped"}, {"collector", status_.name}, {"reason", "restart_backoff"}});
  } else if (status_.running) {
    ++status_.skipped_total;
    logging::event(spdlog::level::debug,
                   "collector " + status_.name + ": tick skipped, the previous run is still going",
                   {{"event", "tick_skipped"}, {"collector", status_.name}, {"reason", "still_running"}});
  } else {
    start_run(next_tick_);
  }
  wait_for_tick();
}

void ScheduledCollector::start_run(steady_clock::time_point due, std::function<void()> ended) {
  context_.due = due;
  context_.commands_ran = {};
  start_observed_ = false;
  status_.running = true;
  ++status_.runs_total;
  status_.last_run_start = std::chrono::system_clock::now();
  const auto started = steady_clock::now();
  run_trace_.reset();
  run_trace_.started = started;
  // The collector object is held by the run, so a reload that replaces it
  // cannot pull it out from under a run still finishing.
  auto collector = config_.collector;
  asio::co_spawn(services_.executor, collector->collect(context_),
                 asio::bind_cancellation_slot(cancel_run_.slot(),
                                              [self = shared_from_this(), collector, started, ended = std::move(ended)](
                                                  std::exception_ptr error, plugins::CollectOutcome outcome) {
                                                self->run_ended(error, std::move(outcome), started);
                                                if (ended) ended();
                                              }));
}

void ScheduledCollector::run_ended(std::exception_ptr error, plugins::CollectOutcome outcome,
                                   steady_clock::time_point started) {
  if (error) outcome = internal_failure(error);
  status_.running = false;
  status_.last_duration = steady_clock::now() - started;
  if (stopped_) return;  // cancelled by stop(): nothing to publish
  note_persistent_command(outcome);
  services_.outcomes.finished(*this, std::move(outcome), /*may_defer=*/true);
}

// A stream collector's command runs until it ends; each record it prints
// is published as it comes. When the command ends it is started again after
// a backoff that doubles up to a minute, and starts over at a second once a
// run has lasted a minute.
void ScheduledCollector::start_stream() {
  status_.running = true;
  command_started_ = steady_clock::now();
  run_trace_.reset();
  auto collector = config_.collector;
  auto publish = [weak = weak_from_this()](plugins::CollectOutcome outcome) {
    auto self = weak.lock();
    if (!self || self->stopped_) return;
    // Each record parsed is a run; those coalesced away before it (the
    // command printed faster than its fair share) are skipped, as a tick
    // is when a run cannot keep up.
    ++self->status_.runs_total;
    self->status_.skipped_total += outcome.records_skipped;
    self->status_.last_run_start = std::chrono::system_clock::now();
    self->services_.outcomes.finished(*self, std::move(outcome), /*may_defer=*/false);
  };
  asio::co_spawn(services_.executor, collector->stream(context_, std::move(publish)),
                 asio::bind_cancellation_slot(
                     cancel_run_.slot(),
                     [self = shared_from_this(), collector](std::exception_ptr error, plugins::CollectOutcome end) {
                       self->status_.running = false;
                       if (self->stopped_) return;
                       if (error) end = internal_failure(error);
                       self->services_.outcomes.stream_ended(*self, std::move(end));
                       self->restart_stream_later();
                     }));
}

// A persistent command is started by the run that needs it, and ended by
// a run that fails; the ticks within the backoff after that are skipped.
void ScheduledCollector::note_persistent_command(const plugins::CollectOutcome& outcome) {
  const auto now = steady_clock::now();
  if (outcome.command_started) {
    if (restart_due_) ++status_.restarts_total;
    restart_due_ = false;
    command_started_ = now;
  }
  if (outcome.command_ended) {
    restart_due_ = true;
    restart_not_before_ = now + restart_backoff_.after_run_of(now - command_started_);
  }
}

void ScheduledCollector::restart_stream_later() {
  timer_.expires_after(restart_backoff_.after_run_of(steady_clock::now() - command_started_));
  timer_.async_wait([self = shared_from_this()](const boost::system::error_code& error) {
    if (error || self->stopped_) return;
    ++self->status_.restarts_total;
    self->start_stream();
  });
}

void ScheduledCollector::stop() {
  stopped_ = true;
  timer_.cancel();
  if (first_run_waiting_) {
    first_run_waiting_ = false;
    status_.running = false;
  } else if (status_.running) {
    cancel_run_.emit(asio::cancellation_type::terminal);
  }
  config_.collector->stop();  // a persistent command goes with its group
}

}  // namespace gleaner::daemon
