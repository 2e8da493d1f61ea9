#include "daemon/once_report.h"

#include <cstdio>

namespace gleaner::daemon {

std::string show_output(std::string_view text, std::size_t limit) {
  const auto shown = text.substr(0, limit);
  std::string lines;
  std::size_t start = 0;
  while (start < shown.size()) {
    auto end = shown.find('\n', start);
    if (end == std::string_view::npos) end = shown.size();
    lines += "  | ";
    lines += shown.substr(start, end - start);
    lines += '\n';
    start = end + 1;
  }
  if (text.size() > limit) lines += "  … " + std::to_string(text.size() - limit) + " more bytes\n";
  return lines;
}

namespace {

std::string seconds(std::chrono::nanoseconds duration) {
  char text[32];
  std::snprintf(text, sizeof text, "%.3fs", std::chrono::duration<double>(duration).count());
  return text;
}

}  // namespace

std::string describe_command_run(const std::string& collector, const subprocess::Command& command,
                                 const subprocess::Result& result) {
  std::string text = "collector " + collector + ": ran " + command.display() + "\n";
  text += "  working dir: " + command.working_dir + "\n";
  // A persistent command answered and runs on: nothing ended.
  const bool running = result.failure == subprocess::RunFailure::none && !result.exit_code && !result.term_signal;
  text += "  ended: " + (running ? std::string("not: still running, it answered") : result.describe()) + "\n";
  text += "  duration: " + seconds(result.duration) + "\n";
  text += "  stdout (" + std::to_string(result.stdout_data.size()) + " bytes):\n";
  text += show_output(result.stdout_data);
  // The runner keeps only the end of standard error (result.h): that is
  // what there is to show.
  text += "  stderr (its last " + std::to_string(result.stderr_tail.size()) + " bytes, as kept):\n";
  text += show_output(result.stderr_tail);
  return text;
}

std::string describe_detail(const std::string& collector, const std::string& line) {
  return "collector " + collector + ": " + line + "\n";
}

std::string describe_outcome(const std::string& collector, const plugins::CollectOutcome& outcome) {
  std::string text = "collector " + collector + ": ";
  if (outcome.ok()) {
    text += "succeeded, " + std::to_string(metrics::count_samples(outcome.families)) + " series parsed\n";
  } else {
    text += "failed, reason " + std::string(plugins::to_string(*outcome.failure)) + ": " + outcome.message + "\n";
  }
  if (outcome.skipped > 0) {
    text += "  skipped " + std::to_string(outcome.skipped) + " lines (" + std::to_string(outcome.skipped_duplicates) +
            " repeating a series); the first: " + outcome.first_skipped + "\n";
  }
  if (outcome.records_skipped > 0) {
    text += "  coalesced " + std::to_string(outcome.records_skipped) + " earlier records\n";
  }
  return text;
}

}  // namespace gleaner::daemon
