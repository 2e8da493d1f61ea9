#pragma once
// What a long-running process holds and what it has under it, read from
// /proc in one pass: descriptors, threads, resident memory, the processes
// that descend from it (children, grandchildren, orphans it adopted as a
// subreaper), the zombies among them and the process groups they are in.
// The soak and zoo tests sample this to show that nothing leaks.

#include <sys/types.h>
#include <unistd.h>

#include <fstream>
#include <iterator>
#include <map>
#include <set>
#include <string>
#include <vector>

#include "tests/support/process_census.h"

namespace gleaner::testing {

// A field of /proc/PID/status as a number ("VmRSS:  1234 kB" → 1234); -1 if absent.
inline long status_number(pid_t pid, const std::string& field) {
  std::ifstream status("/proc/" + std::to_string(pid) + "/status");
  for (std::string line; std::getline(status, line);) {
    if (line.rfind(field + ":", 0) == 0) return std::stol(line.substr(field.size() + 1));
  }
  return -1;
}

struct ProcessTree {
  int children = 0;                // processes whose parent is the root
  std::vector<ProcessInfo> below;  // every process whose ancestry leads to the root
  std::vector<pid_t> zombies;      // those of them that have exited and wait to be reaped
  std::set<pid_t> groups;          // their process groups, except the root's own
};

// The processes under root, from one reading of /proc.
inline ProcessTree process_tree(pid_t root) {
  std::multimap<pid_t, ProcessInfo> by_parent;
  pid_t root_group = -1;
  for (const auto& process : all_processes()) {
    by_parent.emplace(process.parent, process);
    if (process.pid == root) root_group = process.group;
  }
  ProcessTree tree;
  std::vector<pid_t> pending = {root};
  while (!pending.empty()) {
    const pid_t parent = pending.back();
    pending.pop_back();
    const auto [first, last] = by_parent.equal_range(parent);
    for (auto it = first; it != last; ++it) {
      const ProcessInfo& process = it->second;
      tree.children += parent == root;
      tree.below.push_back(process);
      if (process.state == 'Z') tree.zombies.push_back(process.pid);
      if (process.group != root_group) tree.groups.insert(process.group);
      pending.push_back(process.pid);
    }
  }
  return tree;
}

// The live (not zombie) processes in any of these groups.
inline std::vector<ProcessInfo> live_members(const std::set<pid_t>& groups) {
  std::vector<ProcessInfo> members;
  for (const auto& process : all_processes()) {
    if (groups.count(process.group) && process.state != 'Z') members.push_back(process);
  }
  return members;
}

// A process's command line with spaces for NULs, for messages.
inline std::string command_line(pid_t pid) {
  std::ifstream file("/proc/" + std::to_string(pid) + "/cmdline", std::ios::binary);
  std::string text((std::istreambuf_iterator<char>(file)), std::istreambuf_iterator<char>());
  for (auto& c : text) c = c == '\0' ? ' ' : c;
  return text;
}

// "pid 123 (group 120, state S): sleep 300" per process, for messages.
inline std::string describe(const std::vector<ProcessInfo>& processes) {
  std::string text;
  for (const auto& process : processes) {
    text += "pid " + std::to_string(process.pid) + " (group " + std::to_string(process.group) + ", state " +
            process.state + "): " + command_line(process.pid) + "\n";
  }
  return text;
}

}  // namespace gleaner::testing
