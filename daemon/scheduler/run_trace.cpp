#include "daemon/scheduler/run_trace.h"

#include <fmt/format.h>
#include <spdlog/spdlog.h>

#include "common/logging/logging.h"
#include "common/metrics/sample.h"

namespace gleaner::daemon {

void RunTrace::reset() {
  last.exit_code.reset();
  last.term_signal.reset();
  last.failure = subprocess::RunFailure::none;
  last.failure_message.clear();
  bytes_read = 0;
  started.reset();
  commands_ = 0;
}

void RunTrace::add(const subprocess::Command& run, const subprocess::Result& result) {
  // Assigned into an earlier run's argv, the vector and its strings reuse
  // their buffers.
  if (commands_ < argvs_.size()) {
    argvs_[commands_] = run.argv;
  } else {
    argvs_.push_back(run.argv);
  }
  ++commands_;
  last.exit_code = result.exit_code;
  last.term_signal = result.term_signal;
  last.failure = result.failure;
  last.failure_message = result.failure_message;
  bytes_read += result.stdout_data.size();
}

std::string RunTrace::command() const {
  std::string text;
  subprocess::Command quoted;
  for (std::size_t i = 0; i < commands_; ++i) {
    const auto& argv = argvs_[i];
    if (!text.empty()) text += "; ";
    quoted.argv = argv;
    text += quoted.display();
  }
  return text;
}

logging::Fields RunTrace::command_fields() const {
  logging::Fields fields;
  if (!ran_commands()) return fields;
  fields.emplace_back("command", command());
  const bool ended_on_its_own = last.failure == subprocess::RunFailure::none;
  if (ended_on_its_own && last.exit_code) fields.emplace_back("exit_code", *last.exit_code);
  if (ended_on_its_own && last.term_signal) fields.emplace_back("signal", *last.term_signal);
  return fields;
}

void log_run_at_debug(const std::string& collector, const RunTrace& trace, const plugins::CollectOutcome& outcome) {
  if (!spdlog::should_log(spdlog::level::debug)) return;
  logging::Fields fields{{"event", "collector_run"}, {"collector", collector}};
  std::string message = "collector " + collector + ":";
  if (trace.ran_commands()) {
    message += " ran " + trace.command() + " (" + trace.ended() + ")";
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
