#pragma once
// Prometheus's own promtool as the judge of the exposition format.

#include <cstdio>
#include <cstdlib>
#include <string>
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

}  // namespace gleaner::testing
