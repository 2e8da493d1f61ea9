#pragma once
// glibc 2.36's <sys/pidfd.h> declares its functions without extern "C", so
// C++ code cannot link against them; include it through here. Also: how a
// pidfd's waiter tells a real exit from a stale readiness.

extern "C" {
#include <sys/pidfd.h>
}

#include <sys/types.h>
#include <sys/wait.h>

namespace gleaner::subprocess {

// Whether the process is a zombie now, looked at without reaping it. A
// pidfd's readiness can be stale: the reactor may report an event meant for
// an earlier descriptor with the same number, so a waiter looks before it
// acts on one.
inline bool has_exited(pid_t pid) {
  siginfo_t info{};
  const int looked = ::waitid(P_PID, static_cast<id_t>(pid), &info, WEXITED | WNOHANG | WNOWAIT);
  return !(looked == 0 && info.si_pid == 0);
}

}  // namespace gleaner::subprocess
