#include "daemon/systemd_protocol.h"

#include <fcntl.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <unistd.h>

#include <cerrno>
#include <cstddef>
#include <charconv>
#include <cstdint>
#include <cstdlib>
#include <cstring>
#include <limits>
#include <string>

namespace gleaner::daemon::systemd {
namespace {

// A decimal number from the whole of text, or nothing.
template <typename Number>
std::optional<Number> number_in(const char* text) {
  if (text == nullptr || *text == '\0') return std::nullopt;
  const char* end = text + std::strlen(text);
  Number value{};
  const auto [stop, error] = std::from_chars(text, end, value);
  if (error != std::errc() || stop != end) return std::nullopt;
  return value;
}

bool names_this_process(const char* pid_text) {
  const auto pid = number_in<long>(pid_text);
  return pid && *pid == static_cast<long>(::getpid());
}

std::optional<int> family_of(int fd) {
  sockaddr_storage address{};
  socklen_t size = sizeof address;
  if (::getsockname(fd, reinterpret_cast<sockaddr*>(&address), &size) != 0) return std::nullopt;
  return address.ss_family;
}

}  // namespace

void notify(std::string_view message) {
  const char* socket_path = std::getenv("NOTIFY_SOCKET");
  if (socket_path == nullptr) return;
  const std::size_t length = std::strlen(socket_path);
  sockaddr_un address{};
  address.sun_family = AF_UNIX;
  // A path (with its NUL), or "@name": the abstract namespace, whose names
  // begin with a NUL and end with their length.
  const bool abstract = socket_path[0] == '@';
  if ((socket_path[0] != '/' && !abstract) || length < 2 || length + (abstract ? 0 : 1) > sizeof address.sun_path) {
    return;
  }
  std::memcpy(address.sun_path, socket_path, length);
  if (abstract) address.sun_path[0] = '\0';
  const auto address_size = static_cast<socklen_t>(offsetof(sockaddr_un, sun_path) + length + (abstract ? 0 : 1));
  const int fd = ::socket(AF_UNIX, SOCK_DGRAM | SOCK_CLOEXEC, 0);
  if (fd < 0) return;
  // One datagram; systemd knows the sender by its credentials.
  while (::sendto(fd, message.data(), message.size(), MSG_NOSIGNAL, reinterpret_cast<const sockaddr*>(&address),
                  address_size) < 0 &&
         errno == EINTR) {
  }
  ::close(fd);
}

std::optional<std::chrono::microseconds> watchdog_interval() {
  const auto usec = number_in<std::uint64_t>(std::getenv("WATCHDOG_USEC"));
  if (!usec || *usec == 0) return std::nullopt;
  const char* pid = std::getenv("WATCHDOG_PID");
  if (pid != nullptr && !names_this_process(pid)) return std::nullopt;  // another process's watchdog
  return std::chrono::microseconds(*usec);
}

int take_listen_fds() {
  int result = 0;
  const char* pid = std::getenv("LISTEN_PID");
  if (pid != nullptr) {
    const char* fds = std::getenv("LISTEN_FDS");
    const auto count = number_in<int>(fds);
    if (!number_in<long>(pid)) {
      result = -EINVAL;
    } else if (!names_this_process(pid)) {
      result = 0;  // passed to another process (a parent that did not take them)
    } else if (fds == nullptr) {
      result = 0;
    } else if (!count || *count <= 0 || *count > std::numeric_limits<int>::max() - kListenFdsStart) {
      result = -EINVAL;  // as sd_listen_fds: none, or more than descriptors can number
    } else {
      for (int fd = kListenFdsStart; fd < kListenFdsStart + *count; ++fd) {
        const int flags = ::fcntl(fd, F_GETFD);
        if (flags < 0 || ::fcntl(fd, F_SETFD, flags | FD_CLOEXEC) < 0) {
          result = -errno;
          break;
        }
      }
      if (result == 0) result = *count;
    }
  }
  ::unsetenv("LISTEN_PID");
  ::unsetenv("LISTEN_FDS");
  ::unsetenv("LISTEN_FDNAMES");
  return result;
}

bool is_socket(int fd, int type, int listening) {
  struct stat status {};
  if (::fstat(fd, &status) != 0 || !S_ISSOCK(status.st_mode)) return false;
  if (type != 0) {
    int actual = 0;
    socklen_t size = sizeof actual;
    if (::getsockopt(fd, SOL_SOCKET, SO_TYPE, &actual, &size) != 0 || actual != type) return false;
  }
  if (listening >= 0) {
    int accepting = 0;
    socklen_t size = sizeof accepting;
    if (::getsockopt(fd, SOL_SOCKET, SO_ACCEPTCONN, &accepting, &size) != 0) return false;
    if ((accepting != 0) != (listening != 0)) return false;
  }
  return true;
}

bool is_inet_socket(int fd, int type, int listening) {
  const auto family = family_of(fd);
  return is_socket(fd, type, listening) && (family == AF_INET || family == AF_INET6);
}

bool is_unix_socket(int fd) { return is_socket(fd, 0, -1) && family_of(fd) == AF_UNIX; }

}  // namespace gleaner::daemon::systemd
