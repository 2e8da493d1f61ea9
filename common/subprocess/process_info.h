#pragma once
// What the reaper reads about one process from /proc: its state, parent and
// process group, its command name, a line of its environment. Any process
// may exit at any moment, so every reader answers "nothing" when it is gone.

#include <sys/types.h>

#include <optional>
#include <string>
#include <string_view>

namespace gleaner::subprocess {

struct ProcessStatus {
  char state = 0;  // R, S, D, Z, …
  pid_t parent = 0;
  pid_t group = 0;
};

// From /proc/PID/stat; nullopt if the process is gone.
std::optional<ProcessStatus> read_process_status(pid_t pid);

// /proc/PID/comm (at most 15 bytes, chosen by the process itself) made safe
// for a log line: control characters and bytes outside ASCII as \xNN.
std::string read_command_name(pid_t pid);

// Whether /proc/PID/environ holds exactly this "NAME=value" entry; nullopt
// when it reads as nothing: gone, another user's after a setuid exec, an
// empty environment, or caught in the middle of an exec (the kernel shows
// no environment while the new image is being set up).
std::optional<bool> environment_contains(pid_t pid, std::string_view entry);

}  // namespace gleaner::subprocess
