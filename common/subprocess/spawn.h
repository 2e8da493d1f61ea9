#pragma once
// Starting a child: posix_spawn (a vfork-style clone in glibc, so the cost
// does not grow with the daemon's size, and nothing but exec-safe work runs
// in the child), each child the leader of a new process group, signals at
// their defaults, only fds 0-2 inherited, and a pidfd to wait on.

#include <sys/types.h>

#include <string>

#include "common/subprocess/command.h"
#include "common/subprocess/executable_lookup.h"
#include "common/subprocess/spawn_setup.h"
#include "common/subprocess/unique_fd.h"

namespace gleaner::subprocess {

struct SpawnedProcess {
  pid_t pid = -1;  // also the process group id
  UniqueFd pidfd;
  // Our ends, blocking until the loop first waits on them (see make_pipe).
  UniqueFd stdin_pipe;   // our write end; empty when stdin is /dev/null
  UniqueFd stdout_pipe;  // our read end
  UniqueFd stderr_pipe;  // our read end
};

struct SpawnAttempt {
  SpawnedProcess process;
  int error = 0;  // errno-style; 0 on success
  std::string message;

  bool ok() const { return error == 0; }
};

// dev_null is an open read-only descriptor of /dev/null, shared by all runs;
// executables and setups are what the runs of one runner keep for reuse.
SpawnAttempt spawn_process(const Command& command, int dev_null, ExecutableCache& executables,
                           SpawnSetups& setups);

// Ends a child just started, with its group, and reaps it: for when it
// cannot be waited for asynchronously. Blocks only as long as SIGKILL takes.
void kill_and_reap_now(pid_t pid);

}  // namespace gleaner::subprocess
