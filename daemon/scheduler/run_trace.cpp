#include "daemon/scheduler/run_trace.h"

#include <fmt/format.h>
#include <spdlog/spdlog.h>

#include "logging/logging.h"
#include "metrics/sample.h"

namespace gleaner::daemon {

void RunTrace::add(const subprocess::Command& run, const subprocess::Result& result) {
  if (!command.empty()) command += "; ";
  command += run.display();
  ended = result.describe();
  exit_code = result.failure == subprocess::RunFailure::none ? result.exit_code : std::nullopt;
  signal = result.failure == subprocess::RunFailure::none ? result.term_signal : std::nullopt;
  bytes_read += result.stdout_data.size();
}

logging::Fields RunTrace::command_fields() const {
  logging::Fields fields;
  if (!command.empty()) fields.emplace_back("command", command);
  if (exit_code) fields.emplace_back("exit_code", *exit_code);
  if (signal) fields.emplace_back("signal", *signal);
  return fields;
}

void log_run_at_debug(const std::string& collector, const RunTrace& trace, const plugins::CollectOutcome& outcome) {
  if (!spdlog::should_log(spdlog::level::debug)) return;
  logging::Fields fields{{"event", "collector_run"}, {"collector", collector}};
  std::string message = "collector " + collector + ":";
  if (!trace.command.empty()) {
    message += " ran " + trace.command + " (" + trace.ended + ")";
    const auto more = trace.command_fields();
    fields.insert(fields.end(), more.begin(), more.end());
  } else if (trace.started) {
    message += " ran no command";  // textfile: it reads files
  } else {
    message += " a stream record";  // each is a run; its command goes on running
  }
  if (trace.started) {
    const auto took =
        std::chrono::duration_cast<std::chrono::milliseconds>(std::chrono::steady_clock::now() - *trace.started);
    message += fmt::format(" in {}ms, read {} bytes", took.count(), trace.bytes_read);
    fields.emplace_back("duration_ms", took.count());
    fields.emplace_back("bytes_read", trace.bytes_read);
  }
  if (outcome.ok()) {
    const auto series = metrics::count_samples(outcome.families);
    message += fmt::format(", {} series parsed", series);
    fields.emplace_back("series", series);
  } else {
    const auto reason = std::string(plugins::to_string(*outcome.failure));
    message += ", failed (" + reason + ")";
    fields.emplace_back("reason", reason);
  }
  logging::event(spdlog::level::debug, message, fields);
}

}  // namespace gleaner::daemon
