#pragma once
// Prometheus's own promtool as the judge of the exposition format.

#include <cstdio>
#include <cstdlib>
#include <sstream>
#include <string>
#include <vector>
#include <sys/wait.h>
#include <unistd.h>

namespace gleaner::testing {

struct PromtoolVerdict {
  bool valid = false;  // the text format parses: Prometheus would ingest it
  bool clean = false;  // and not even a lint finding (missing HELP, naming advice)
  std::string output;  // what promtool said
};

// Runs `promtool check metrics` on the text. It exits 1 for a format error
// and 3 for lint findings alone.
inline PromtoolVerdict promtool_check_metrics(const std::string& exposition) {
  char path[] = "/tmp/gleaner-promtool-XXXXXX";
  const int fd = ::mkstemp(path);
  if (fd < 0) return {false, false, "mkstemp failed"};
  std::size_t written = 0;
  while (written < exposition.size()) {
    const auto n = ::write(fd, exposition.data() + written, exposition.size() - written);
    if (n <= 0) break;
    written += static_cast<std::size_t>(n);
  }
  ::close(fd);
  const std::string command = std::string("promtool check metrics < ") + path + " 2>&1";
  PromtoolVerdict verdict;
  FILE* pipe = ::popen(command.c_str(), "r");
  if (!pipe) return {false, false, "cannot run promtool"};
  char buffer[4096];
  while (const auto n = std::fread(buffer, 1, sizeof buffer, pipe)) verdict.output.append(buffer, n);
  const int status = ::pclose(pipe);
  ::unlink(path);
  const int code = (status != -1 && WIFEXITED(status)) ? WEXITSTATUS(status) : -1;
  verdict.valid = code == 0 || code == 3;
  verdict.clean = code == 0;
  return verdict;
}

// promtool's findings other than advice about a name a command chose
// itself (a counter without _total, a unit that is not a base unit, camel
// case, a colon, a histogram suffix on another type), which gleaner passes
// on as printed. Anything else ("no help text", a parse error) is returned,
// one line each.
inline std::vector<std::string> lint_beyond_command_names(const PromtoolVerdict& verdict) {
  static const char* const kNamingAdvice[] = {
      "counter metrics should have \"_total\" suffix",
      "non-counter metrics should not have \"_total\" suffix",
      "use base unit \"",
      "metric names should be written in 'snake_case' not 'camelCase'",
      "label names should be written in 'snake_case' not 'camelCase'",
      "metric names should not contain abbreviated units",
      "metric names should not contain ':'",
      "non-histogram metrics should not have \"_bucket\" suffix",
      "non-histogram and non-summary metrics should not have \"_sum\" suffix",
      "non-histogram and non-summary metrics should not have \"_count\" suffix",
      "metric name should not include type",
  };
  std::vector<std::string> beyond;
  std::istringstream lines(verdict.output);
  for (std::string line; std::getline(lines, line);) {
    if (line.empty()) continue;
    bool advice = false;
    for (const char* text : kNamingAdvice) advice = advice || line.find(text) != std::string::npos;
    if (!advice) beyond.push_back(line);
  }
  return beyond;
}

}  // namespace gleaner::testing
