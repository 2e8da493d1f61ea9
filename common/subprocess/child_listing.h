#pragma once
// Which live processes are this process's children. The kernel has no call
// for it; /proc has two ways, one cheap where the kernel offers it.

#include <sys/types.h>

#include <cstddef>
#include <optional>
#include <vector>

#include "common/subprocess/unique_fd.h"

namespace gleaner::subprocess {

enum class ChildListing {
  // /proc/self/task/*/children: a few microseconds, but only on kernels
  // built with CONFIG_PROC_CHILDREN, which not every one is.
  task_children,
  // Every pid in /proc, each asked with waitid() whether it is our child.
  proc_scan,
};

// task_children where the kernel provides it, else proc_scan.
ChildListing available_child_listing();

// This process's children (zombies included), by either way.
std::vector<pid_t> list_children(ChildListing listing);

// This process's children among the pids handed out after `after`, probing
// each pid up to the last one allocated (/proc/sys/kernel/ns_last_pid).
// Sound because pids are handed out in increasing order, and every
// descendant of a process started after it: a run leader's leftovers all
// have pids above the leader's. nullopt when that cannot be relied on (the
// numbers wrapped around) or when more than max_probes pids were handed out
// since: a whole scan is then the cheaper way.
std::optional<std::vector<pid_t>> children_started_after(pid_t after, std::size_t max_probes);

// Only the main thread's children (task_children only), read with one
// pread() of a file kept open. The kernel hands a subreaper's orphans to the
// first live thread of its group, the main thread unless that has exited,
// whichever thread started their ancestor: what a run's leader left running
// is listed here right after the leader exits. list_children() reads every
// thread's list, for when the main thread is gone.
class MainThreadChildren {
 public:
  std::vector<pid_t> list();

 private:
  UniqueFd file_;
};

}  // namespace gleaner::subprocess
