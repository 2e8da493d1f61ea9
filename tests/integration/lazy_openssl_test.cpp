// OpenSSL is loaded and initialised only when the web configuration asks
// for it (README "Performance": without TLS or basic auth, libssl and
// libcrypto cost the daemon nothing). The signs watched are structural,
// not sizes: whether the daemon maps libssl or libcrypto
// (/proc/PID/maps), and whether OpenSSL's initialisation read its
// configuration file, named here by OPENSSL_CONF in the daemon's
// environment (inotify tells whether any process opened that file). Only
// the daemon is given the variable, and its collector runs printf, which
// uses no OpenSSL.

#include <gtest/gtest.h>
#include <sys/inotify.h>
#include <unistd.h>

#include <cerrno>
#include <filesystem>
#include <csignal>
#include <string>
#include <vector>

#include "tests/support/child_command.h"
#include "tests/support/daemon_process.h"
#include "tests/support/http_client.h"
#include "tests/support/io_wait.h"
#include "tests/support/scratch_dir.h"

namespace gleaner::testing {
namespace {

// Watches one file for being opened, by anyone.
class OpenWatch {
 public:
  explicit OpenWatch(const std::string& path) : fd_(::inotify_init1(IN_NONBLOCK | IN_CLOEXEC)) {
    if (fd_ < 0 || ::inotify_add_watch(fd_, path.c_str(), IN_OPEN) < 0) throw std::runtime_error("inotify failed");
  }
  ~OpenWatch() { ::close(fd_); }
  OpenWatch(const OpenWatch&) = delete;
  OpenWatch& operator=(const OpenWatch&) = delete;

  // Whether an open was reported since the watch began (events stay queued).
  bool opened() {
    alignas(inotify_event) char events[4096];
    const ssize_t size = ::read(fd_, events, sizeof events);
    if (size > 0) seen_ = true;
    return seen_;
  }

 private:
  int fd_;
  bool seen_ = false;
};

// The names of the files a process maps, one a line as /proc/PID/maps has them.
std::string mapped_files(pid_t pid) { return read_file("/proc/" + std::to_string(pid) + "/maps"); }

class LazyOpensslTest : public ::testing::Test {
 protected:
  void SetUp() override {
    // A valid configuration that changes nothing: OpenSSL reads it whole.
    openssl_conf_ = dir_.write("openssl.cnf", "# read by OpenSSL when it initialises\n");
    dir_.write("gleaner.yaml", "collectors:\n  - {name: hello, plugin: exec, command: [printf, \"hello_value 1\\n\"]}\n");
  }

  DaemonProcess start(const std::vector<std::string>& more_args = {}) {
    std::vector<std::string> args = {"--config", dir_.file("gleaner.yaml"), "--listen", "127.0.0.1:0"};
    args.insert(args.end(), more_args.begin(), more_args.end());
    return DaemonProcess(args, {"OPENSSL_CONF=" + openssl_conf_});
  }

  void make_certificate() {
    const auto made = run_child({"openssl", "req", "-x509", "-newkey", "ec", "-pkeyopt",
                                 "ec_paramgen_curve:prime256v1", "-nodes", "-days", "2", "-subj", "/CN=localhost",
                                 "-keyout", dir_.file("server.key"), "-out", dir_.file("server.crt")});
    ASSERT_EQ(made.exit_code, 0) << made.err;
  }

  ScratchDir dir_;
  std::string openssl_conf_;
};

TEST_F(LazyOpensslTest, PlainHttpWithoutAuthNeitherLoadsNorInitialisesOpenssl) {
  OpenWatch watch(openssl_conf_);
  auto daemon = start();
  const int port = daemon.port();
  ASSERT_GT(port, 0) << daemon.log();
  // Serving: the collector has run and its series is scraped, twice, and a
  // reload has been through the web configuration again.
  ASSERT_TRUE(eventually([&] {
    const auto reply = http_get(port, "/metrics");
    return reply && reply->body.find("hello_value{collector=\"hello\"} 1") != std::string::npos;
  })) << daemon.log();
  daemon.signal(SIGHUP);
  ASSERT_TRUE(eventually([&] { return daemon.log().find("reloaded") != std::string::npos; })) << daemon.log();
  const auto again = http_get(port, "/metrics");
  ASSERT_TRUE(again && again->status == 200);
  const std::string maps = mapped_files(daemon.pid());
  ASSERT_NE(maps.find("libc.so"), std::string::npos) << maps;  // the sign can show
  EXPECT_EQ(maps.find("libssl.so"), std::string::npos) << maps;
  EXPECT_EQ(maps.find("libcrypto.so"), std::string::npos) << maps;
  daemon.signal(SIGTERM);
  ASSERT_EQ(daemon.wait_for_exit(), 0) << daemon.log();

  EXPECT_FALSE(watch.opened()) << "OpenSSL read " << openssl_conf_ << ": it was initialised without TLS or basic auth";
}

// The control: the same signs show when TLS is configured.
TEST_F(LazyOpensslTest, TlsLoadsAndInitialisesOpensslAtStart) {
  make_certificate();
  dir_.write("web-config.yml", "tls_server_config:\n  cert_file: server.crt\n  key_file: server.key\n");
  OpenWatch watch(openssl_conf_);
  auto daemon = start({"--web.config.file=" + dir_.file("web-config.yml")});
  ASSERT_GT(daemon.port(), 0) << daemon.log();
  EXPECT_TRUE(eventually([&] { return watch.opened(); }));
  const std::string maps = mapped_files(daemon.pid());
  EXPECT_NE(maps.find("libssl.so.3"), std::string::npos) << maps;
  EXPECT_NE(maps.find("libcrypto.so.3"), std::string::npos) << maps;
  daemon.signal(SIGTERM);
  EXPECT_EQ(daemon.wait_for_exit(), 0) << daemon.log();
}

// When libssl cannot be loaded (here a file of that name that is no
// library, first on LD_LIBRARY_PATH), a configuration that needs it is
// refused with the reason and where it asks for TLS or basic auth, and one
// that does not runs as ever.
TEST_F(LazyOpensslTest, WhatNeedsOpensslIsRefusedWithTheReasonWhenItCannotBeLoaded) {
  make_certificate();
  std::filesystem::create_directory(dir_.file("lib"));
  dir_.write("lib/libssl.so.3", "not a library\n");
  const std::string library_path = "LD_LIBRARY_PATH=" + dir_.file("lib");
  auto check = [&](const std::vector<std::string>& more_args) {
    std::vector<std::string> args = {"--check-config", "--config", dir_.file("gleaner.yaml")};
    args.insert(args.end(), more_args.begin(), more_args.end());
    DaemonProcess run(args, {library_path});
    const int exit_code = run.wait_for_exit().value_or(-1);
    return std::make_pair(exit_code, run.log());
  };

  const auto [plain_exit, plain_log] = check({});
  EXPECT_EQ(plain_exit, 0) << plain_log;
  EXPECT_NE(plain_log.find("config OK: 1 collector"), std::string::npos) << plain_log;

  dir_.write("web-config.yml", "tls_server_config:\n  cert_file: server.crt\n  key_file: server.key\n");
  const auto [tls_exit, tls_log] = check({"--web.config.file=" + dir_.file("web-config.yml")});
  EXPECT_EQ(tls_exit, 2) << tls_log;
  EXPECT_NE(tls_log.find(dir_.file("web-config.yml") + ":2:"), std::string::npos) << tls_log;
  EXPECT_NE(tls_log.find("TLS needs OpenSSL (libssl.so.3), which could not be loaded: "), std::string::npos) << tls_log;
  EXPECT_NE(tls_log.find("file too short"), std::string::npos) << tls_log;

  dir_.write("gleaner.yaml", "collectors:\n  - {name: hello, plugin: exec, command: [printf, \"hello_value 1\\n\"]}\n"
                             "web:\n  basic_auth:\n    username: prometheus\n    password_file: pass\n");
  dir_.write("pass", "secret\n");
  const auto [auth_exit, auth_log] = check({});
  EXPECT_EQ(auth_exit, 2) << auth_log;
  EXPECT_NE(auth_log.find(dir_.file("gleaner.yaml") + ":"), std::string::npos) << auth_log;
  EXPECT_NE(auth_log.find("basic auth needs OpenSSL (libssl.so.3), which could not be loaded"), std::string::npos)
      << auth_log;
}

// A library that loads but is not OpenSSL 3 (it lacks the functions the
// daemon calls) is refused the same way, naming what it lacks, instead of
// ending the daemon at the first call of one of them.
TEST_F(LazyOpensslTest, ALibraryThatLoadsButIsNotOpenssl3IsRefusedNamingWhatItLacks) {
  make_certificate();
  dir_.write("web-config.yml", "tls_server_config:\n  cert_file: server.crt\n  key_file: server.key\n");
  const std::vector<std::string> environment = {"LD_LIBRARY_PATH=" GLEANER_NOT_OPENSSL_DIR};

  DaemonProcess check({"--check-config", "--config", dir_.file("gleaner.yaml"),
                       "--web.config.file=" + dir_.file("web-config.yml")},
                      environment);
  EXPECT_EQ(check.wait_for_exit().value_or(-1), 2) << check.log();
  const std::string log = check.log();
  EXPECT_NE(log.find(dir_.file("web-config.yml") + ":2:"), std::string::npos) << log;
  EXPECT_NE(log.find("TLS needs OpenSSL (libssl.so.3), which could not be loaded: " GLEANER_NOT_OPENSSL_DIR
                     "/libssl.so.3 has no "),
            std::string::npos)
      << log;
  EXPECT_NE(log.find(" functions gleaner calls): it is not OpenSSL 3"), std::string::npos) << log;

  // Started for real, the daemon refuses the same way and exits: it does
  // not serve without the TLS it was asked for, nor abort later.
  DaemonProcess daemon({"--config", dir_.file("gleaner.yaml"), "--listen", "127.0.0.1:0",
                        "--web.config.file=" + dir_.file("web-config.yml")},
                       environment);
  EXPECT_EQ(daemon.wait_for_exit().value_or(-1), 2) << daemon.log();
  EXPECT_NE(daemon.log().find("it is not OpenSSL 3"), std::string::npos) << daemon.log();
}

}  // namespace
}  // namespace gleaner::testing
