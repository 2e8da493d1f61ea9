// systemd's protocols as gleaner speaks them without libsystemd: what
// sd_notify(3), sd_watchdog_enabled(3), sd_listen_fds(3) and sd_is_socket(3)
// would do with the same environment and descriptors. Each case runs in a
// process of its own (gtest_discover_tests), so setenv stays in it.

#include "daemon/systemd_protocol.h"

#include <fcntl.h>
#include <gtest/gtest.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <unistd.h>

#include <cerrno>
#include <chrono>
#include <cstddef>
#include <cstdlib>
#include <cstring>
#include <string>

namespace gleaner::daemon::systemd {
namespace {

// A datagram socket bound to name ("@..." abstract, else a path), as systemd's.
int bind_datagram(const std::string& name) {
  const int fd = ::socket(AF_UNIX, SOCK_DGRAM | SOCK_CLOEXEC, 0);
  sockaddr_un address{};
  address.sun_family = AF_UNIX;
  std::memcpy(address.sun_path, name.data(), name.size());
  if (name[0] == '@') address.sun_path[0] = '\0';
  const auto size = static_cast<socklen_t>(offsetof(sockaddr_un, sun_path) + name.size() + (name[0] == '@' ? 0 : 1));
  EXPECT_EQ(::bind(fd, reinterpret_cast<sockaddr*>(&address), size), 0) << std::strerror(errno);
  return fd;
}

std::string receive(int fd) {
  char buffer[256];
  const auto got = ::recv(fd, buffer, sizeof buffer, MSG_DONTWAIT);
  return got < 0 ? "" : std::string(buffer, static_cast<std::size_t>(got));
}

TEST(SystemdProtocol, NotifyReachesASocketInTheAbstractNamespace) {
  const std::string name = "@gleaner-notify-test-" + std::to_string(::getpid());
  const int fd = bind_datagram(name);
  ::setenv("NOTIFY_SOCKET", name.c_str(), 1);
  notify("READY=1\nSTATUS=serving");
  EXPECT_EQ(receive(fd), "READY=1\nSTATUS=serving");
  ::close(fd);
}

TEST(SystemdProtocol, NotifyReachesASocketAtAPath) {
  const std::string path = "/tmp/gleaner-notify-test-" + std::to_string(::getpid());
  ::unlink(path.c_str());
  const int fd = bind_datagram(path);
  ::setenv("NOTIFY_SOCKET", path.c_str(), 1);
  notify("STOPPING=1");
  EXPECT_EQ(receive(fd), "STOPPING=1");
  ::close(fd);
  ::unlink(path.c_str());
}

TEST(SystemdProtocol, WatchdogAppliesToThisProcessOnly) {
  ::unsetenv("WATCHDOG_PID");
  ::unsetenv("WATCHDOG_USEC");
  EXPECT_FALSE(watchdog_interval());
  ::setenv("WATCHDOG_USEC", "200000", 1);
  EXPECT_EQ(watchdog_interval(), std::chrono::microseconds(200000));
  ::setenv("WATCHDOG_PID", std::to_string(::getpid()).c_str(), 1);
  EXPECT_EQ(watchdog_interval(), std::chrono::microseconds(200000));
  ::setenv("WATCHDOG_PID", std::to_string(::getpid() + 1).c_str(), 1);
  EXPECT_FALSE(watchdog_interval());
  ::setenv("WATCHDOG_PID", std::to_string(::getpid()).c_str(), 1);
  ::setenv("WATCHDOG_USEC", "soon", 1);
  EXPECT_FALSE(watchdog_interval());
}

TEST(SystemdProtocol, ListenFdsOfAnotherProcessAreNotTakenAndTheVariablesGoAnyway) {
  ::setenv("LISTEN_PID", std::to_string(::getpid() + 1).c_str(), 1);
  ::setenv("LISTEN_FDS", "1", 1);
  ::setenv("LISTEN_FDNAMES", "http", 1);
  EXPECT_EQ(take_listen_fds(), 0);
  EXPECT_EQ(std::getenv("LISTEN_PID"), nullptr);
  EXPECT_EQ(std::getenv("LISTEN_FDS"), nullptr);
  EXPECT_EQ(std::getenv("LISTEN_FDNAMES"), nullptr);
  ::setenv("LISTEN_PID", std::to_string(::getpid()).c_str(), 1);
  ::setenv("LISTEN_FDS", "two", 1);
  EXPECT_EQ(take_listen_fds(), -EINVAL);
  EXPECT_EQ(take_listen_fds(), 0);  // nothing passed now
}

// As sd_listen_fds: LISTEN_FDS absent is nothing passed; zero, negative or
// more than descriptors can number is an error, never a loop past INT_MAX.
TEST(SystemdProtocol, ListenFdsOutOfRangeIsAnErrorAndAbsentIsNone) {
  const auto pid = std::to_string(::getpid());
  ::setenv("LISTEN_PID", pid.c_str(), 1);
  ::unsetenv("LISTEN_FDS");
  EXPECT_EQ(take_listen_fds(), 0);
  for (const char* count : {"0", "-1", "2147483647", "2147483645", "99999999999"}) {
    ::setenv("LISTEN_PID", pid.c_str(), 1);
    ::setenv("LISTEN_FDS", count, 1);
    EXPECT_EQ(take_listen_fds(), -EINVAL) << count;
  }
}

TEST(SystemdProtocol, TellsSocketsApart) {
  const int tcp = ::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
  sockaddr_in address{};
  address.sin_family = AF_INET;
  address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  ASSERT_EQ(::bind(tcp, reinterpret_cast<sockaddr*>(&address), sizeof address), 0);
  EXPECT_TRUE(is_inet_socket(tcp, SOCK_STREAM, 0));
  EXPECT_FALSE(is_inet_socket(tcp, SOCK_STREAM, 1));
  ASSERT_EQ(::listen(tcp, 1), 0);
  EXPECT_TRUE(is_inet_socket(tcp, SOCK_STREAM, 1));
  EXPECT_FALSE(is_unix_socket(tcp));
  const int udp = ::socket(AF_INET6, SOCK_DGRAM | SOCK_CLOEXEC, 0);
  EXPECT_TRUE(is_socket(udp, SOCK_DGRAM, -1));
  EXPECT_TRUE(is_inet_socket(udp, SOCK_DGRAM, -1));
  EXPECT_FALSE(is_inet_socket(udp, SOCK_STREAM, -1));
  int pair[2];
  ASSERT_EQ(::socketpair(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0, pair), 0);
  EXPECT_TRUE(is_unix_socket(pair[0]));
  EXPECT_FALSE(is_inet_socket(pair[0], 0, -1));
  int pipe_ends[2];
  ASSERT_EQ(::pipe2(pipe_ends, O_CLOEXEC), 0);
  EXPECT_FALSE(is_socket(pipe_ends[0], 0, -1));
  for (const int fd : {tcp, udp, pair[0], pair[1], pipe_ends[0], pipe_ends[1]}) ::close(fd);
}

}  // namespace
}  // namespace gleaner::daemon::systemd
