#include "common/subprocess/child_listing.h"

#include <dirent.h>
#include <fcntl.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cerrno>
#include <cstdlib>
#include <string>


namespace gleaner::subprocess {
namespace {

bool is_pid_name(const char* name) {
  if (*name < '1' || *name > '9') return false;
  for (const char* c = name; *c; ++c) {
    if (*c < '0' || *c > '9') return false;
  }
  return true;
}

// Small /proc files only: "12 345 " or a pid.
std::string read_small_file(const std::string& path) {
  UniqueFd fd(::open(path.c_str(), O_RDONLY | O_CLOEXEC));
  if (!fd) return {};
  std::string text;
  char buffer[4096];
  for (;;) {
    const ssize_t size = ::read(fd.get(), buffer, sizeof buffer);
    if (size < 0 && errno == EINTR) continue;
    if (size <= 0) break;
    text.append(buffer, static_cast<std::size_t>(size));
  }
  return text;
}

// The pid directories' names under a /proc folder, as numbers.
template <typename Visit>
void for_each_numbered_entry(const char* folder, Visit visit) {
  DIR* dir = ::opendir(folder);
  if (!dir) return;
  while (auto* entry = ::readdir(dir)) {
    if (is_pid_name(entry->d_name)) visit(static_cast<pid_t>(std::atoi(entry->d_name)));
  }
  ::closedir(dir);
}

// One system call, no /proc file: waitid() refuses a pid that is not our
// child (ECHILD), and with WNOWAIT it reaps nothing. __WALL: whatever
// signal the child was to send its parent at exit.
bool is_our_child(pid_t pid) {
  siginfo_t info{};
  return ::waitid(P_PID, static_cast<id_t>(pid), &info, WEXITED | WNOHANG | WNOWAIT | __WALL) == 0;
}

// A child of a subreaper may be handed to any of its threads, so every
// thread's list is read.
// "12 345 " → 12, 345.
void append_pids(const std::string& text, std::vector<pid_t>& pids) {
  const char* cursor = text.c_str();
  char* end = nullptr;
  for (long pid = std::strtol(cursor, &end, 10); end != cursor; pid = std::strtol(cursor, &end, 10)) {
    pids.push_back(static_cast<pid_t>(pid));
    cursor = end;
  }
}

std::vector<pid_t> children_from_task_files() {
  std::vector<pid_t> children;
  for_each_numbered_entry("/proc/self/task", [&](pid_t thread) {
    append_pids(read_small_file("/proc/self/task/" + std::to_string(thread) + "/children"), children);
  });
  return children;
}

std::vector<pid_t> children_from_proc_scan() {
  std::vector<pid_t> children;
  for_each_numbered_entry("/proc", [&](pid_t pid) {
    if (is_our_child(pid)) children.push_back(pid);
  });
  return children;
}

}  // namespace

ChildListing available_child_listing() {
  const std::string path = "/proc/self/task/" + std::to_string(::getpid()) + "/children";
  return ::access(path.c_str(), R_OK) == 0 ? ChildListing::task_children : ChildListing::proc_scan;
}

std::vector<pid_t> list_children(ChildListing listing) {
  return listing == ChildListing::task_children ? children_from_task_files() : children_from_proc_scan();
}

std::optional<std::vector<pid_t>> children_started_after(pid_t after, std::size_t max_probes) {
  const auto text = read_small_file("/proc/sys/kernel/ns_last_pid");
  if (text.empty()) return std::nullopt;
  const pid_t last = static_cast<pid_t>(std::atol(text.c_str()));
  if (last < after || static_cast<std::size_t>(last - after) > max_probes) return std::nullopt;
  std::vector<pid_t> children;
  for (pid_t pid = after + 1; pid <= last; ++pid) {
    if (is_our_child(pid)) children.push_back(pid);
  }
  return children;
}

// A /proc file read again from offset 0 is generated afresh.
std::vector<pid_t> MainThreadChildren::list() {
  if (!file_) {
    const std::string path = "/proc/self/task/" + std::to_string(::getpid()) + "/children";
    file_.reset(::open(path.c_str(), O_RDONLY | O_CLOEXEC));
    if (!file_) return {};
  }
  std::string text;
  char buffer[4096];
  for (;;) {
    const ssize_t size = ::pread(file_.get(), buffer, sizeof buffer, static_cast<off_t>(text.size()));
    if (size < 0 && errno == EINTR) continue;
    if (size <= 0) break;
    text.append(buffer, static_cast<std::size_t>(size));
    if (static_cast<std::size_t>(size) < sizeof buffer) break;  // all of it: one call in the usual case
  }
  std::vector<pid_t> children;
  append_pids(text, children);
  return children;
}

}  // namespace gleaner::subprocess
