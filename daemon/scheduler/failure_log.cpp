#include "daemon/scheduler/failure_log.h"

#include <ctime>

#include "common/logging/logging.h"

namespace gleaner::daemon {
namespace {

// UTC, so that a reminder reads the same wherever the log is read.
std::string utc_text(FailureLog::Clock::time_point when) {
  const std::time_t seconds = FailureLog::Clock::to_time_t(when);
  std::tm parts{};
  ::gmtime_r(&seconds, &parts);
  char text[32];
  std::strftime(text, sizeof text, "%Y-%m-%dT%H:%M:%SZ", &parts);
  return text;
}

}  // namespace

FailureLog::FailureLog(std::string collector, Sink sink) : collector_(std::move(collector)), sink_(std::move(sink)) {}

void FailureLog::failed(plugins::FailureReason reason, std::string_view message, Clock::time_point now,
                        const logging::Fields& run) {
  ++in_a_row_;
  const auto reason_text = std::string(plugins::to_string(reason));
  const auto fields = [&](std::string_view event) {
    logging::Fields all{{"event", event}, {"collector", collector_}, {"reason", reason_text}};
    all.insert(all.end(), run.begin(), run.end());
    all.emplace_back("failures", in_a_row_);
    return all;
  };
  if (reason_ != reason) {
    reason_ = reason;
    same_reason_ = 1;
    since_ = now;
    log(spdlog::level::warn, "collector " + collector_ + " failed (" + reason_text + "): " + std::string(message),
        fields("collector_failed"));
    return;
  }
  ++same_reason_;
  const bool first_reminder = same_reason_ == kFirstReminder;
  const bool later_reminder = same_reason_ > kFirstReminder && now - last_reminder_ >= kReminderInterval;
  if (!first_reminder && !later_reminder) return;
  last_reminder_ = now;
  log(spdlog::level::warn, "collector " + collector_ + " still failing (" + reason_text +
                               "): " + std::to_string(same_reason_) + " times since " + utc_text(since_) +
                               "; latest: " + std::string(message),
      fields("collector_still_failing"));
}

void FailureLog::succeeded() {
  if (in_a_row_ == 0) return;
  log(spdlog::level::info, "collector " + collector_ + " recovered after " + std::to_string(in_a_row_) +
                               (in_a_row_ == 1 ? " failure" : " failures"),
      {{"event", "collector_recovered"}, {"collector", collector_}, {"failures", in_a_row_}});
  reason_.reset();
  same_reason_ = 0;
  in_a_row_ = 0;
}

void FailureLog::log(spdlog::level::level_enum level, const std::string& line, const logging::Fields& fields) const {
  if (sink_) {
    sink_(level, line, fields);
  } else {
    logging::event(level, line, fields);
  }
}

}  // namespace gleaner::daemon
