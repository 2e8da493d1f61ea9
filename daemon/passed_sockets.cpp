#include "daemon/passed_sockets.h"

#include <sys/socket.h>

#include <system_error>

#include "daemon/systemd_protocol.h"

namespace gleaner::daemon {
namespace {

// What a socket gleaner cannot serve on is, in the words of a .socket unit.
std::string describe_unusable(int fd) {
  if (systemd::is_unix_socket(fd)) return "a unix socket (ListenStream=/path or ListenDatagram=/path)";
  if (systemd::is_socket(fd, SOCK_DGRAM, -1)) return "a datagram socket (ListenDatagram=, UDP)";
  if (systemd::is_inet_socket(fd, SOCK_STREAM, 0)) {
    return "a TCP socket that is not listening (a single connection: Accept=yes)";
  }
  if (systemd::is_socket(fd, 0, -1)) return "a socket of another kind";
  return "not a socket";
}

}  // namespace

PassedSockets take_passed_sockets() {
  PassedSockets result;
  // The variables go whatever they say.
  const int count = systemd::take_listen_fds();
  if (count < 0) {
    result.error = "the sockets systemd passed (LISTEN_FDS) cannot be used: " + std::system_category().message(-count);
    return result;
  }
  for (int fd = systemd::kListenFdsStart; fd < systemd::kListenFdsStart + count; ++fd) {
    // take_listen_fds() made each close-on-exec: no command inherits one.
    if (systemd::is_inet_socket(fd, SOCK_STREAM, 1)) {
      result.fds.push_back(fd);
      continue;
    }
    result.error = "systemd passed descriptor " + std::to_string(fd) + ", " + describe_unusable(fd) +
                   ": gleaner serves HTTP on listening TCP sockets only (ListenStream=ADDRESS:PORT, Accept=no)";
    result.fds.clear();
    return result;
  }
  return result;
}

}  // namespace gleaner::daemon
