#include "daemon/passed_sockets.h"

#include <sys/socket.h>
#include <systemd/sd-daemon.h>

#include <system_error>

namespace gleaner::daemon {
namespace {

// What a socket gleaner cannot serve on is, in the words of a .socket unit.
std::string describe_unusable(int fd) {
  if (sd_is_socket_unix(fd, 0, -1, nullptr, 0) > 0) return "a unix socket (ListenStream=/path or ListenDatagram=/path)";
  if (sd_is_socket(fd, AF_UNSPEC, SOCK_DGRAM, -1) > 0) return "a datagram socket (ListenDatagram=, UDP)";
  if (sd_is_socket_inet(fd, AF_UNSPEC, SOCK_STREAM, 0, 0) > 0) {
    return "a TCP socket that is not listening (a single connection: Accept=yes)";
  }
  if (sd_is_socket(fd, AF_UNSPEC, 0, -1) > 0) return "a socket of another kind";
  return "not a socket";
}

}  // namespace

PassedSockets take_passed_sockets() {
  PassedSockets result;
  // unset_environment=1: the variables go whatever they say.
  const int count = sd_listen_fds(1);
  if (count < 0) {
    result.error = "the sockets systemd passed (LISTEN_FDS) cannot be used: " + std::system_category().message(-count);
    return result;
  }
  for (int fd = SD_LISTEN_FDS_START; fd < SD_LISTEN_FDS_START + count; ++fd) {
    // sd_listen_fds() made each close-on-exec: no command inherits one.
    if (sd_is_socket_inet(fd, AF_UNSPEC, SOCK_STREAM, 1, 0) > 0) {
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
