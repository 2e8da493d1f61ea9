#pragma once
// Counts what a process holds, from /proc: open descriptors and children
// (zombies included), so tests can show that nothing leaks.

#include <dirent.h>
#include <signal.h>
#include <unistd.h>

#include <cerrno>
#include <fstream>
#include <iterator>
#include <string>
#include <vector>

namespace gleaner::testing {

inline int open_fd_count(pid_t pid = ::getpid()) {
  const std::string path = "/proc/" + std::to_string(pid) + "/fd";
  DIR* dir = ::opendir(path.c_str());
  if (!dir) return -1;
  int count = 0;
  while (auto* entry = ::readdir(dir)) {
    if (entry->d_name[0] != '.') ++count;
  }
  ::closedir(dir);
  return count - 1;  // the directory stream itself
}

struct ProcessInfo {
  pid_t pid;
  pid_t parent;
  pid_t group;
  char state;  // R, S, D, Z, …
};

// Every process on the machine, from /proc/PID/stat.
inline std::vector<ProcessInfo> all_processes() {
  std::vector<ProcessInfo> processes;
  DIR* dir = ::opendir("/proc");
  if (!dir) return processes;
  while (auto* entry = ::readdir(dir)) {
    const std::string name = entry->d_name;
    if (name.empty() || name.find_first_not_of("0123456789") != std::string::npos) continue;
    std::ifstream stat("/proc/" + name + "/stat");
    std::string line;
    if (!std::getline(stat, line)) continue;
    // The command name may hold spaces and parentheses: parse after the last ')'.
    const auto close = line.rfind(')');
    if (close == std::string::npos) continue;
    ProcessInfo info{};
    info.pid = std::stoi(name);
    char state = 0;
    int parent = 0;
    int group = 0;
    if (std::sscanf(line.c_str() + close + 1, " %c %d %d", &state, &parent, &group) != 3) continue;
    info.state = state;
    info.parent = parent;
    info.group = group;
    processes.push_back(info);
  }
  ::closedir(dir);
  return processes;
}

inline int child_count(pid_t parent = ::getpid()) {
  int count = 0;
  for (const auto& process : all_processes()) count += process.parent == parent;
  return count;
}

inline int zombie_child_count(pid_t parent = ::getpid()) {
  int count = 0;
  for (const auto& process : all_processes()) count += process.parent == parent && process.state == 'Z';
  return count;
}

// The live (not zombie) processes whose command line is exactly argv, e.g.
// {"sleep", "98.123"}: tests pick unusual arguments to find their own.
inline std::vector<pid_t> live_processes_running(const std::vector<std::string>& argv) {
  std::string wanted;
  for (const auto& arg : argv) wanted += arg + '\0';
  std::vector<pid_t> found;
  for (const auto& process : all_processes()) {
    if (process.state == 'Z') continue;
    std::ifstream file("/proc/" + std::to_string(process.pid) + "/cmdline", std::ios::binary);
    const std::string cmdline((std::istreambuf_iterator<char>(file)), std::istreambuf_iterator<char>());
    if (cmdline == wanted) found.push_back(process.pid);
  }
  return found;
}

// Ends what a test left running (its own unusual command lines only).
inline void kill_processes_running(const std::vector<std::string>& argv) {
  for (const pid_t pid : live_processes_running(argv)) ::kill(pid, SIGKILL);
}

// Whether any process is still in the group.
inline bool group_exists(pid_t group) { return ::kill(-group, 0) == 0 || errno == EPERM; }

}  // namespace gleaner::testing
