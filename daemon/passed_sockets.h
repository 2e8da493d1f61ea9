#pragma once
// Sockets that systemd passes to gleaner (socket activation: the shipped
// gleaner.socket, or systemd-socket-activate): gleaner then serves on them
// instead of binding `listen` (README "Socket activation").

#include <string>
#include <vector>

namespace gleaner::daemon {

struct PassedSockets {
  std::vector<int> fds;  // listening TCP sockets, close-on-exec; empty when none were passed
  std::string error;     // "" or why gleaner cannot serve on what was passed
};

// Takes the sockets in LISTEN_FDS (when LISTEN_PID is this process), and
// removes LISTEN_PID, LISTEN_FDS and LISTEN_FDNAMES from the environment in
// every case, so that no command gleaner runs (`inherit_env: true`) takes
// them for its own. Changes the environment: call before any thread starts.
PassedSockets take_passed_sockets();

}  // namespace gleaner::daemon
