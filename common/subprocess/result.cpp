#include "common/subprocess/result.h"

#include <cstring>

#include "common/subprocess/command.h"

namespace gleaner::subprocess {

std::string_view to_string(RunFailure failure) {
  switch (failure) {
    case RunFailure::none: return "none";
    case RunFailure::spawn: return "spawn";
    case RunFailure::timeout: return "timeout";
    case RunFailure::output_limit: return "output_limit";
    case RunFailure::cancelled: return "cancelled";
    case RunFailure::output_closed: return "output_closed";
  }
  return "unknown";
}

std::string Result::describe() const {
  if (failure != RunFailure::none) return std::string(to_string(failure)) + ": " + failure_message;
  if (term_signal) {
    return "killed by signal " + std::to_string(*term_signal) + " (" + ::strsignal(*term_signal) + ")";
  }
  if (exit_code) return "exit code " + std::to_string(*exit_code);
  return "no exit status";
}

std::string Command::display() const {
  std::string text;
  for (const auto& arg : argv) {
    if (!text.empty()) text += ' ';
    const bool plain = !arg.empty() && arg.find_first_not_of("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz"
                                                             "0123456789@%+=:,./_-") == std::string::npos;
    if (plain) {
      text += arg;
      continue;
    }
    text += '\'';
    for (const char c : arg) text += c == '\'' ? std::string("'\\''") : std::string(1, c);
    text += '\'';
  }
  return text;
}

}  // namespace gleaner::subprocess
