#include "common/subprocess/process_info.h"

#include <fcntl.h>
#include <unistd.h>

#include <cerrno>
#include <cstdio>
#include <cstring>

#include "common/subprocess/unique_fd.h"

namespace gleaner::subprocess {
namespace {

std::string proc_path(pid_t pid, const char* file) {
  return "/proc/" + std::to_string(pid) + "/" + file;
}

// Reads up to `limit` bytes of a /proc file; empty if it cannot be opened.
std::string read_proc_file(const std::string& path, std::size_t limit) {
  UniqueFd fd(::open(path.c_str(), O_RDONLY | O_CLOEXEC));
  if (!fd) return {};
  std::string text;
  char buffer[4096];
  while (text.size() < limit) {
    const ssize_t size = ::read(fd.get(), buffer, sizeof buffer);
    if (size < 0 && errno == EINTR) continue;
    if (size <= 0) break;
    text.append(buffer, static_cast<std::size_t>(size));
  }
  return text;
}

}  // namespace

std::optional<ProcessStatus> read_process_status(pid_t pid) {
  const std::string stat = read_proc_file(proc_path(pid, "stat"), 1024);
  // The command name may hold spaces and parentheses: the fields start
  // after the last ')'.
  const auto close = stat.rfind(')');
  if (close == std::string::npos) return std::nullopt;
  ProcessStatus status;
  int parent = 0;
  int group = 0;
  if (std::sscanf(stat.c_str() + close + 1, " %c %d %d", &status.state, &parent, &group) != 3) {
    return std::nullopt;
  }
  status.parent = parent;
  status.group = group;
  return status;
}

std::string read_command_name(pid_t pid) {
  std::string name = read_proc_file(proc_path(pid, "comm"), 64);
  if (!name.empty() && name.back() == '\n') name.pop_back();
  std::string printable;
  for (const char c : name) {
    const auto byte = static_cast<unsigned char>(c);
    if (byte >= 0x20 && byte < 0x7f && byte != '\\') {
      printable += c;
    } else {
      char escaped[5];
      std::snprintf(escaped, sizeof escaped, "\\x%02x", byte);
      printable += escaped;
    }
  }
  return printable;
}

std::optional<bool> environment_contains(pid_t pid, std::string_view entry) {
  // An environment is rarely over a few kilobytes; a huge one is cut, and a
  // mark past the cut is not seen (the process is then treated as unmarked).
  const std::string environment = read_proc_file(proc_path(pid, "environ"), 1 << 20);
  if (environment.empty()) return std::nullopt;
  std::size_t start = 0;
  while (start < environment.size()) {
    auto end = environment.find('\0', start);
    if (end == std::string::npos) end = environment.size();
    if (std::string_view(environment).substr(start, end - start) == entry) return true;
    start = end + 1;
  }
  return false;
}

}  // namespace gleaner::subprocess
