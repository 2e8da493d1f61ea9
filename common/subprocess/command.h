#pragma once
// What to run: the input side of the subprocess layer.

#include <chrono>
#include <cstddef>
#include <functional>
#include <optional>
#include <string>
#include <vector>

namespace gleaner::subprocess {

// The PATH a command gets unless it inherits the daemon's environment.
inline constexpr const char* kDefaultPath =
    "/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin";

// The environment entry that marks a command's processes (and, inherited,
// their descendants) as allowed to outlive their run: see ChildReaper. Never
// inherited from the daemon's own environment, nor settable through env.
inline constexpr const char* kBackgroundAllowedName = "GLEANER_BACKGROUND_ALLOWED";
inline constexpr const char* kBackgroundAllowedEntry = "GLEANER_BACKGROUND_ALLOWED=1";

struct Command {
  // argv[0] is looked up on the PATH of the command's own environment unless
  // it contains a '/'. Never run through a shell unless made with shell().
  std::vector<std::string> argv;

  // Extra "NAME=value" entries. The command gets PATH=kDefaultPath, LC_ALL=C
  // and these; with inherit_env it gets the daemon's environment plus these.
  std::vector<std::string> env;
  bool inherit_env = false;

  std::string working_dir = "/";

  // Whether what it leaves running may outlive the run, and the daemon: its
  // group is then not killed when it exits, and what left the group is
  // spared by the reaper. By default both are ended.
  bool allow_background = false;

  // Written to the command's standard input, which is then closed.
  // Without it, standard input is /dev/null.
  std::optional<std::string> stdin_data;

  // Zero means no timeout (for long-running stream commands).
  std::chrono::milliseconds timeout{10'000};
  // Between SIGTERM and SIGKILL to the process group.
  std::chrono::milliseconds kill_grace{1'000};
  // Standard output bytes kept; one more fails the run. For a stream, the
  // longest record allowed.
  std::size_t max_output = 1024 * 1024;
  // For a stream: at most this many records handed over a second; those
  // that come faster are coalesced to the latest (see RecordThrottle), and
  // the command is not read meanwhile, so it waits on its full pipe.
  std::size_t max_records_per_second = 10;

  // Called on the runner's executor when the command is started (after any
  // wait for a place among max_concurrent), with that instant: also when
  // starting it failed. Must not block, nor start or cancel runs.
  std::function<void(std::chrono::steady_clock::time_point started)> on_started;

  // A script run by /bin/sh -c: the only way a shell is ever involved.
  static Command shell(std::string script) {
    Command command;
    command.argv = {"/bin/sh", "-c", std::move(script)};
    return command;
  }

  // "df -kP", for log lines, error messages and --verbose: argv as a shell
  // would take it back, each word not plainly safe in single quotes, so
  // spaces and empty words show ("echo 'two words' ''").
  std::string display() const;
};

}  // namespace gleaner::subprocess
