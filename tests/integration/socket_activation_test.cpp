// Socket activation through the real binary and systemd's own tool:
// `systemd-socket-activate -l 127.0.0.1:PORT gleaner --config F` binds the
// socket, execs gleaner on the first connection with LISTEN_FDS set, and
// gleaner must serve there (binding nothing itself), keep it across a
// reload, keep LISTEN_* from its commands, and refuse a socket it cannot
// serve on. The shipped gleaner.socket passes `systemd-analyze verify`.

#include <arpa/inet.h>
#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <netinet/in.h>
#include <signal.h>
#include <stdlib.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <unistd.h>

#include <algorithm>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <tuple>

#include "tests/support/daemon_process.h"
#include "tests/support/http_client.h"
#include "tests/support/systemd_units.h"
#include "tests/support/scratch_dir.h"

namespace gleaner::testing {
namespace {

using ::testing::HasSubstr;

// A TCP socket bound to a free loopback port (and left unlistened); -1 on failure.
int bind_loopback(int port) {
  const int fd = ::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
  sockaddr_in address{};
  address.sin_family = AF_INET;
  address.sin_port = htons(static_cast<std::uint16_t>(port));
  address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  if (::bind(fd, reinterpret_cast<sockaddr*>(&address), sizeof address) != 0) {
    ::close(fd);
    return -1;
  }
  return fd;
}

int port_of(int fd) {
  sockaddr_in address{};
  socklen_t size = sizeof address;
  ::getsockname(fd, reinterpret_cast<sockaddr*>(&address), &size);
  return ntohs(address.sin_port);
}

// Three distinct ports free now (held together while chosen, so they differ).
std::tuple<int, int, int> three_free_ports() {
  const int a = bind_loopback(0);
  const int b = bind_loopback(0);
  const int c = bind_loopback(0);
  const auto ports = std::tuple{port_of(a), port_of(b), port_of(c)};
  ::close(a);
  ::close(b);
  ::close(c);
  return ports;
}

class SocketActivationTest : public ::testing::Test {
 protected:
  void SetUp() override {
    ASSERT_EQ(::access("/usr/bin/systemd-socket-activate", X_OK), 0)
        << "systemd-socket-activate is not installed (package systemd; bash .ci/install-deps)";
    dir_ = scratch_.path().string();
    std::tie(passed_port_, second_port_, listen_port_) = three_free_ports();
  }
  void TearDown() override {
    daemon_.reset();
  }

  std::string write_config(const std::string& collectors) {
    const auto path = dir_ + "/gleaner.yaml";
    std::ofstream(path + ".new") << "listen: \"127.0.0.1:" << listen_port_ << "\"\ncollectors:\n" << collectors;
    std::filesystem::rename(path + ".new", path);
    return path;
  }

  // gleaner under systemd-socket-activate, which listens on `listen` (an
  // address, or a unix socket's path) and execs gleaner at the first connection.
  void start(const std::string& config, const std::vector<std::string>& launcher_options,
             const std::vector<std::string>& extra_args = {}) {
    std::vector<std::string> launcher = {"systemd-socket-activate"};
    launcher.insert(launcher.end(), launcher_options.begin(), launcher_options.end());
    std::vector<std::string> args = {"--config", config};
    args.insert(args.end(), extra_args.begin(), extra_args.end());
    daemon_ = std::make_unique<DaemonProcess>(args, std::vector<std::string>{}, launcher);
    // The launcher says so once its socket listens.
    ASSERT_TRUE(eventually([&] { return daemon_->log().find("Listening on") != std::string::npos || daemon_->exited(); }))
        << daemon_->log();
  }

  // Scrapes a passed socket until the exposition holds text.
  std::string scrape_until_has(const std::string& text, int port = 0) {
    std::string body;
    const bool held = eventually([&] {
      const auto reply = http_get(port ? port : passed_port_, "/metrics");
      body = reply && reply->status == 200 ? reply->body : "";
      return body.find(text) != std::string::npos;
    });
    EXPECT_TRUE(held) << "last scrape:\n" << body << "\nlog:\n" << daemon_->log();
    return body;
  }

  ScratchDir scratch_;  // removed with its files after the test
  std::string dir_;
  int passed_port_ = 0;
  int second_port_ = 0;  // a second passed socket, where a test asks for one
  int listen_port_ = 0;
  std::unique_ptr<DaemonProcess> daemon_;
};

TEST_F(SocketActivationTest, ServesOnThePassedSocketBindsNothingAndKeepsItAcrossAReload) {
  const auto config = write_config("  - {name: hello, plugin: exec, command: [printf, \"hello_value 1\\n\"]}\n");
  const auto passed = "127.0.0.1:" + std::to_string(passed_port_);
  const auto second = "127.0.0.1:" + std::to_string(second_port_);
  start(config, {"-l", passed, "-l", second});
  scrape_until_has("hello_value{collector=\"hello\"} 1");
  scrape_until_has("hello_value{collector=\"hello\"} 1", second_port_);
  const auto log = daemon_->log();
  EXPECT_THAT(log, HasSubstr("listening on " + passed + ", " + second + " (passed by systemd)"));
  // A `listen` elsewhere is a notice, not an error; and that port stays free.
  EXPECT_THAT(log, HasSubstr("listen \"127.0.0.1:" + std::to_string(listen_port_) +
                             "\" is not bound: serving on the sockets systemd passed (" + passed + ", " + second +
                             ") instead"));
  const int probe = bind_loopback(listen_port_);
  EXPECT_GE(probe, 0) << "port " << listen_port_ << " is taken: gleaner bound `listen` itself\n" << log;
  if (probe >= 0) ::close(probe);

  // A reload applies the new file and serves on the same socket.
  write_config("  - {name: hello, plugin: exec, command: [printf, \"hello_value 2\\n\"]}\n");
  daemon_->signal(SIGHUP);
  scrape_until_has("hello_value{collector=\"hello\"} 2");
  scrape_until_has("hello_value{collector=\"hello\"} 2", second_port_);
  EXPECT_THAT(daemon_->log(), HasSubstr("reloaded"));

  daemon_->signal(SIGTERM);
  EXPECT_EQ(daemon_->wait_for_exit(), 0) << daemon_->log();
}

TEST_F(SocketActivationTest, ListenVariablesDoNotReachCommands) {
  // Even a command that inherits gleaner's whole environment.
  const auto config = write_config(
      "  - name: listen_env\n    plugin: exec\n    inherit_env: true\n"
      "    shell: \"env | grep -c '^LISTEN_' || true\"\n"
      "    parser: {type: value, metric: listen_variables}\n");
  // LISTEN_FDNAMES too, as a .socket unit's FileDescriptorName= sets it.
  // And --listen, like listen, is not bound.
  const auto passed = "127.0.0.1:" + std::to_string(passed_port_);
  const auto other = "127.0.0.1:" + std::to_string(second_port_);
  start(config, {"-l", passed, "--fdname=http"}, {"--listen", other});
  const auto body = scrape_until_has("listen_variables{collector=\"listen_env\"} ");
  EXPECT_THAT(body, HasSubstr("listen_variables{collector=\"listen_env\"} 0\n"));
  EXPECT_THAT(daemon_->log(), HasSubstr("listen \"" + other + "\" is not bound: serving on the socket systemd passed (" +
                                        passed + ") instead"));
  const int probe = bind_loopback(second_port_);
  EXPECT_GE(probe, 0) << "port " << second_port_ << " is taken: gleaner bound --listen itself";
  if (probe >= 0) ::close(probe);
}

// What a launcher passes that gleaner cannot serve HTTP on.
struct Unusable {
  const char* name;
  std::vector<std::string> options;  // systemd-socket-activate's; "@" is the socket's path
  const char* message;
  bool forks = false;  // --accept: a gleaner per connection, forked, never exec'd in the launcher's place
};

void PrintTo(const Unusable& unusable, std::ostream* out) { *out << unusable.name; }

class UnusableSocketTest : public SocketActivationTest, public ::testing::WithParamInterface<Unusable> {};

TEST_P(UnusableSocketTest, IsRefusedWithExitTwo) {
  const auto config = write_config("  - {name: hello, plugin: exec, command: [printf, \"hello_value 1\\n\"]}\n");
  const auto socket_path = dir_ + "/gleaner.sock";
  auto options = GetParam().options;
  const bool unix_socket = options.back() == "@";
  const bool datagram = std::find(options.begin(), options.end(), "--datagram") != options.end();
  if (unix_socket) options.back() = socket_path;
  else options.back() = "127.0.0.1:" + std::to_string(passed_port_);
  start(config, options);
  // The launcher execs gleaner at the first datagram or connection.
  ASSERT_TRUE(eventually([&] {
    const int fd = ::socket(unix_socket ? AF_UNIX : AF_INET, (datagram ? SOCK_DGRAM : SOCK_STREAM) | SOCK_CLOEXEC, 0);
    if (unix_socket) {
      sockaddr_un address{};
      address.sun_family = AF_UNIX;
      std::strncpy(address.sun_path, socket_path.c_str(), sizeof address.sun_path - 1);
      ::connect(fd, reinterpret_cast<sockaddr*>(&address), sizeof address);
    } else {
      sockaddr_in address{};
      address.sin_family = AF_INET;
      address.sin_port = htons(static_cast<std::uint16_t>(passed_port_));
      address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
      ::sendto(fd, "x", 1, MSG_DONTWAIT | MSG_NOSIGNAL, reinterpret_cast<sockaddr*>(&address), sizeof address);
      if (!datagram) ::connect(fd, reinterpret_cast<sockaddr*>(&address), sizeof address);
    }
    ::close(fd);
    const auto log = daemon_->log();
    return log.find("Execing") != std::string::npos || log.find("Spawned") != std::string::npos || daemon_->exited();
  })) << daemon_->log();
  const std::string refusal = std::string("systemd passed descriptor 3, ") + GetParam().message +
                              ": gleaner serves HTTP on listening TCP sockets only";
  if (GetParam().forks) {
    // Forked per connection: the launcher itself goes on.
    EXPECT_TRUE(eventually([&] { return daemon_->log().find(refusal) != std::string::npos; })) << daemon_->log();
  } else {
    EXPECT_EQ(daemon_->wait_for_exit(), 2) << daemon_->log();
    EXPECT_THAT(daemon_->log(), HasSubstr(refusal));
  }
  // It never bound `listen` instead.
  EXPECT_THAT(daemon_->log(), ::testing::Not(HasSubstr("listening on")));
}

INSTANTIATE_TEST_SUITE_P(
    Sockets, UnusableSocketTest,
    ::testing::Values(Unusable{"Udp", {"--datagram", "-l", ""}, "a datagram socket (ListenDatagram=, UDP)"},
                      Unusable{"Unix", {"-l", "@"}, "a unix socket (ListenStream=/path or ListenDatagram=/path)"},
                      Unusable{"Connection", {"--accept", "-l", ""},
                               "a TCP socket that is not listening (a single connection: Accept=yes)", true}),
    [](const auto& info) { return std::string(info.param.name); });

TEST(SystemdSocketUnit, PassesSystemdAnalyzeVerifyBesideTheService) {
  ASSERT_EQ(::access("/usr/bin/systemd-analyze", X_OK), 0) << "systemd-analyze is not installed (bash .ci/install-deps)";
  const std::string socket_unit = read_file(GLEANER_UNIT_DIR "/gleaner.socket");
  ASSERT_THAT(socket_unit, HasSubstr("ListenStream=127.0.0.1:9947"));
  ASSERT_THAT(socket_unit, HasSubstr("Accept=no"));
  // The service works without the socket: it must not require it.
  std::string service_unit = read_file(GLEANER_UNIT_DIR "/gleaner.service");
  ASSERT_THAT(service_unit, ::testing::Not(HasSubstr("Requires=gleaner.socket")));
  const auto verdict = systemd_analyze_verify(
      {{"gleaner.service", pointed_at_built_binary(service_unit, GLEANER_BINARY)}, {"gleaner.socket", socket_unit}});
  EXPECT_TRUE(verdict.passed) << verdict.output;
  EXPECT_EQ(verdict.output, "");
}

}  // namespace
}  // namespace gleaner::testing
