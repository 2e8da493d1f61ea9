// Operating gleaner: reload on SIGHUP, the other signals, sd_notify to
// systemd, the systemd unit, refusing unsafe files, what --check-config
// catches before a start would trip over it. The real binary, real
// signals, a real NOTIFY_SOCKET datagram socket.

#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <signal.h>
#include <stdlib.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>

#include <algorithm>
#include <atomic>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <thread>

#include "tests/support/daemon_fixture.h"
#include "tests/support/daemon_process.h"
#include "tests/support/http_client.h"
#include "tests/support/process_census.h"
#include "tests/support/promtool.h"
#include "tests/support/systemd_units.h"

#ifndef GLEANER_UNIT_FILE
#error "needs GLEANER_UNIT_FILE"
#endif

namespace gleaner::testing {
namespace {

using ::testing::HasSubstr;
using ::testing::Not;

using OperationsTest = DaemonFixture;

TEST_F(OperationsTest, ReloadKeepsUnchangedCollectorsAndAppliesChanges) {
  start(R"(collectors:
  - {name: steady, plugin: exec, interval: 200ms, shell: "echo steady_value 1"}
  - {name: changing, plugin: exec, interval: 200ms, shell: "echo changing_value 1"}
  - {name: leaving, plugin: exec, interval: 200ms, shell: "echo leaving_value 1"}
)");
  auto body = scrape_until([](const std::string& b) {
    const auto runs = value_of(b, "gleaner_collector_runs_total{collector=\"steady\"}");
    return runs && *runs >= 3 && has(b, "leaving_value{") && has(b, "changing_value{collector=\"changing\"} 1");
  });
  const double runs_before = *value_of(body, "gleaner_collector_runs_total{collector=\"steady\"}");

  write_config(R"(collectors:
  - {name: steady, plugin: exec, interval: 200ms, shell: "echo steady_value 1"}
  - {name: changing, plugin: exec, interval: 200ms, shell: "echo changing_value 2"}
  - {name: arriving, plugin: exec, interval: 200ms, shell: "echo arriving_value 1"}
)");
  // Scrape without pause from before the SIGHUP until the new configuration
  // shows: the unchanged collector's series must be in every answer (kept,
  // not dropped and published again by a restarted collector), and its run
  // counter never go back.
  const int port = daemon_->port();
  std::atomic<bool> reloaded{false};
  std::atomic<int> scrapes{0};
  std::vector<std::string> gaps;
  std::thread scraper([&] {
    double last_runs = runs_before;
    while (!reloaded) {
      const auto reply = http_get(port, "/metrics");
      ++scrapes;
      if (!reply || reply->status != 200) {
        gaps.push_back("a scrape failed");
        continue;
      }
      const auto runs = value_of(reply->body, "gleaner_collector_runs_total{collector=\"steady\"}");
      if (!has(reply->body, "steady_value{collector=\"steady\"} 1")) gaps.push_back("steady_value missing");
      if (!runs || *runs < last_runs) {
        gaps.push_back("runs went from " + std::to_string(last_runs) + " to " + (runs ? std::to_string(*runs) : "none"));
      }
      if (runs) last_runs = *runs;
      if (has(reply->body, "arriving_value{") && !has(reply->body, "leaving")) reloaded = true;
    }
  });
  eventually([&] { return scrapes > 2; });
  daemon_->signal(SIGHUP);
  body = scrape_until([](const std::string& b) {
    return has(b, "arriving_value{") && has(b, "changing_value{collector=\"changing\"} 2") && !has(b, "leaving");
  });
  reloaded = true;
  scraper.join();
  EXPECT_THAT(gaps, ::testing::IsEmpty()) << "in " << scrapes << " scrapes across the reload";
  // The unchanged collector kept its counters (and so its schedule): no restart from zero.
  EXPECT_GE(*value_of(body, "gleaner_collector_runs_total{collector=\"steady\"}"), runs_before);
  EXPECT_THAT(body, HasSubstr("steady_value{collector=\"steady\"} 1"));
  EXPECT_THAT(body, HasSubstr("gleaner_config_last_reload_successful 1"));
  EXPECT_THAT(daemon_->log(), HasSubstr("reloaded " + config_ + ": 3 collectors"));
}

TEST_F(OperationsTest, AnInvalidReloadKeepsTheOldConfiguration) {
  start("collectors:\n  - {name: keep, plugin: exec, interval: 200ms, shell: 'echo keep_value 1'}\n");
  scrape_until([](const std::string& b) { return has(b, "keep_value{collector=\"keep\"} 1"); });
  write_config("collectors:\n  - {name: keep, plugin: exec, interval: never, shell: 'echo other 1'}\n");
  daemon_->signal(SIGHUP);
  auto body = scrape_until([](const std::string& b) { return has(b, "gleaner_config_last_reload_successful 0"); });
  EXPECT_THAT(daemon_->log(), HasSubstr(config_ + ":2:42: collector.interval: bad duration \"never\""));
  EXPECT_THAT(daemon_->log(), HasSubstr("keeping the previous configuration"));
  // Still running the old one.
  const double runs = *value_of(body, "gleaner_collector_runs_total{collector=\"keep\"}");
  body = scrape_until([&](const std::string& b) {
    const auto now = value_of(b, "gleaner_collector_runs_total{collector=\"keep\"}");
    return now && *now > runs;
  });
  EXPECT_THAT(body, HasSubstr("keep_value{collector=\"keep\"} 1"));
  // A good file afterwards is taken, and the flag recovers.
  write_config("collectors:\n  - {name: keep, plugin: exec, interval: 200ms, shell: 'echo keep_value 2'}\n");
  daemon_->signal(SIGHUP);
  scrape_until([](const std::string& b) {
    return has(b, "gleaner_config_last_reload_successful 1") && has(b, "keep_value{collector=\"keep\"} 2");
  });
}

TEST_F(OperationsTest, ScrapesDuringReloadsAllSucceed) {
  start("collectors:\n  - {name: a, plugin: exec, interval: 100ms, shell: 'echo a_value 1'}\n");
  std::atomic<bool> done{false};
  std::atomic<int> scrapes{0}, failures{0};
  const int port = daemon_->port();
  std::thread scraper([&] {
    while (!done) {
      const auto reply = http_get(port, "/metrics");
      ++scrapes;
      if (!reply || reply->status != 200) ++failures;
    }
  });
  for (int i = 0; i < 20; ++i) {
    write_config("collectors:\n  - {name: a, plugin: exec, interval: 100ms, shell: 'echo a_value " + std::to_string(i) +
                 "'}\n");
    daemon_->signal(SIGHUP);
    const auto want = "reloaded " + config_;
    std::size_t seen = 0;
    eventually([&] {
      const auto log = daemon_->log();
      std::size_t count = 0;
      for (auto at = log.find(want); at != std::string::npos; at = log.find(want, at + 1)) ++count;
      seen = count;
      return count >= static_cast<std::size_t>(i + 1);
    });
    ASSERT_GE(seen, static_cast<std::size_t>(i + 1));
  }
  eventually([&] { return scrapes > 40; });
  done = true;
  scraper.join();
  EXPECT_GT(scrapes.load(), 0);
  EXPECT_EQ(failures.load(), 0);
}

// A NOTIFY_SOCKET for the daemon: what systemd would receive, and when the
// kernel received each message (SO_TIMESTAMPNS), so that the test's own
// polling, however late on a loaded machine, does not blur the intervals.
class NotifySocket {
 public:
  explicit NotifySocket(const std::string& path) : path_(path) {
    fd_ = ::socket(AF_UNIX, SOCK_DGRAM | SOCK_CLOEXEC | SOCK_NONBLOCK, 0);
    sockaddr_un address{};
    address.sun_family = AF_UNIX;
    std::snprintf(address.sun_path, sizeof address.sun_path, "%s", path.c_str());
    ::bind(fd_, reinterpret_cast<sockaddr*>(&address), sizeof address);
    const int on = 1;
    ::setsockopt(fd_, SOL_SOCKET, SO_TIMESTAMPNS, &on, sizeof on);
  }
  ~NotifySocket() {
    ::close(fd_);
    ::unlink(path_.c_str());
  }
  // Every message received so far, in order.
  const std::vector<std::string>& messages() {
    char buffer[4096];
    alignas(cmsghdr) char control[CMSG_SPACE(sizeof(timespec))];
    for (;;) {
      iovec data{buffer, sizeof buffer};
      msghdr message{};
      message.msg_iov = &data;
      message.msg_iovlen = 1;
      message.msg_control = control;
      message.msg_controllen = sizeof control;
      const auto n = ::recvmsg(fd_, &message, 0);
      if (n <= 0) break;
      messages_.emplace_back(buffer, static_cast<std::size_t>(n));
      double at = -1;
      for (cmsghdr* header = CMSG_FIRSTHDR(&message); header; header = CMSG_NXTHDR(&message, header)) {
        if (header->cmsg_level == SOL_SOCKET && header->cmsg_type == SCM_TIMESTAMPNS) {
          timespec stamp{};
          std::memcpy(&stamp, CMSG_DATA(header), sizeof stamp);
          at = static_cast<double>(stamp.tv_sec) + static_cast<double>(stamp.tv_nsec) / 1e9;
        }
      }
      received_at_.push_back(at);
    }
    return messages_;
  }
  // When each message of messages() arrived, in seconds (-1: not known).
  const std::vector<double>& received_at() {
    messages();
    return received_at_;
  }
  // Index of the first message from `from` on holding `text`, or -1.
  int find(const std::string& text, std::size_t from = 0) {
    const auto& all = messages();
    for (std::size_t i = from; i < all.size(); ++i) {
      if (all[i].find(text) != std::string::npos) return static_cast<int>(i);
    }
    return -1;
  }

 private:
  std::string path_;
  int fd_ = -1;
  std::vector<std::string> messages_;
  std::vector<double> received_at_;
};

// The intervals between consecutive WATCHDOG=1 pings, in milliseconds.
std::vector<double> ping_intervals(NotifySocket& notify) {
  std::vector<double> pings;
  const auto& messages = notify.messages();
  const auto& at = notify.received_at();
  for (std::size_t i = 0; i < messages.size(); ++i) {
    if (messages[i] == "WATCHDOG=1") pings.push_back(at[i]);
  }
  std::vector<double> intervals;
  for (std::size_t i = 1; i < pings.size(); ++i) intervals.push_back((pings[i] - pings[i - 1]) * 1000);
  return intervals;
}

TEST_F(OperationsTest, TellsSystemdReadyWatchdogReloadingAndStopping) {
  NotifySocket notify(dir_ + "/notify.sock");
  start("collectors:\n  - {name: a, plugin: exec, interval: 1s, shell: 'echo a_value 1'}\n", {},
        {"NOTIFY_SOCKET=" + dir_ + "/notify.sock", "WATCHDOG_USEC=1000000"});
  ASSERT_TRUE(eventually([&] { return notify.find("READY=1") >= 0; }));
  EXPECT_THAT(notify.messages()[notify.find("READY=1")], HasSubstr("STATUS=1 collector, metrics at "));
  // Pings from the event loop at half the watchdog interval, as
  // sd_watchdog_enabled(3) advises: every 500 ms for WATCHDOG_USEC=1 s. The
  // median of eight intervals must be within 250 ms of that: a ping at the
  // whole interval (1 s, which lets systemd's deadline pass whenever the
  // loop is a little late) or a storm of pings falls outside, while a
  // loaded machine delays only some pings, and by far less.
  std::vector<double> intervals;
  ASSERT_TRUE(eventually([&] { return (intervals = ping_intervals(notify)).size() >= 8; }));
  for (const double interval : intervals) ASSERT_GT(interval, 0) << "a ping without its arrival time";
  std::sort(intervals.begin(), intervals.end());
  const double median = intervals[intervals.size() / 2];
  EXPECT_GT(median, 250) << "pings far more often than half the watchdog interval";
  EXPECT_LT(median, 750) << "pings at the whole watchdog interval, or later, not at half of it";
  const auto before_reload = notify.messages().size();
  daemon_->signal(SIGHUP);
  ASSERT_TRUE(eventually([&] { return notify.find("RELOADING=1", before_reload) >= 0; }));
  const auto reloading = static_cast<std::size_t>(notify.find("RELOADING=1", before_reload));
  EXPECT_THAT(notify.messages()[reloading], HasSubstr("MONOTONIC_USEC="));
  ASSERT_TRUE(eventually([&] { return notify.find("READY=1", reloading) >= 0; }));
  daemon_->signal(SIGTERM);
  ASSERT_TRUE(eventually([&] { return notify.find("STOPPING=1") >= 0; }));
  EXPECT_EQ(daemon_->wait_for_exit(), 0);
}

TEST_F(OperationsTest, NoWatchdogPingsWhenSystemdAsksForNone) {
  NotifySocket notify(dir_ + "/notify.sock");
  start("collectors: []\n", {}, {"NOTIFY_SOCKET=" + dir_ + "/notify.sock"});
  ASSERT_TRUE(eventually([&] { return notify.find("READY=1") >= 0; }));
  // Let a reload round-trip prove the loop has turned for a while.
  daemon_->signal(SIGHUP);
  ASSERT_TRUE(eventually([&] { return notify.find("RELOADING=1") >= 0 && notify.find("READY=1", 2) >= 0; }));
  EXPECT_EQ(notify.find("WATCHDOG=1"), -1);
}

TEST_F(OperationsTest, RefusesToStartFromAFileOthersCanWrite) {
  write_config("collectors: []\n");
  ::chmod(config_.c_str(), 0666);
  const auto result = run_gleaner({"--config", config_, "--listen", "127.0.0.1:0"});
  EXPECT_EQ(result.exit_code, 2);
  EXPECT_THAT(result.err, HasSubstr(config_ + " is writable by everyone (mode 0666)"));
  EXPECT_THAT(result.err, HasSubstr("chmod go-w " + config_));
}

TEST_F(OperationsTest, RefusesAPasswordFileOthersCanWrite) {
  std::ofstream(dir_ + "/web.pass") << "secret\n";
  ::chmod((dir_ + "/web.pass").c_str(), 0620);
  write_config("web:\n  basic_auth: {username: prometheus, password_file: web.pass}\ncollectors: []\n");
  const auto result = run_gleaner({"--config", config_, "--check-config"});
  EXPECT_EQ(result.exit_code, 2);
  EXPECT_THAT(result.err, HasSubstr(config_ + ":2:53: " + dir_ + "/web.pass is writable by its group (mode 0620)"));
}

// --check-config runs as ExecStartPre: whatever start-up would fail on, it
// must report, with the place to fix.

TEST_F(OperationsTest, CheckConfigRefusesADurationTheClockCannotHold) {
  write_config("collectors:\n  - name: slow\n    plugin: exec\n    timeout: 9999999h\n    command: [true]\n");
  const auto result = run_gleaner({"--config", config_, "--check-config"});
  EXPECT_EQ(result.exit_code, 2) << result.out;
  EXPECT_THAT(result.err, HasSubstr(config_ + ":4:14: collector.timeout: \"9999999h\" is longer than gleaner can time"));
}

TEST_F(OperationsTest, CheckConfigChecksListenAsStartUpWould) {
  write_config("collectors: []\n");
  const auto result = run_gleaner({"--config", config_, "--check-config", "--listen", "garbage"});
  EXPECT_EQ(result.exit_code, 2) << result.out;
  EXPECT_THAT(result.err, HasSubstr("--listen: \"garbage\": expected HOST:PORT"));
  EXPECT_THAT(result.out, Not(HasSubstr("config OK")));
}

TEST_F(OperationsTest, ADirectoryGivenAsTheConfigurationIsNamedSo) {
  const auto result = run_gleaner({"--config", dir_, "--check-config"});
  EXPECT_EQ(result.exit_code, 2);
  EXPECT_THAT(result.err, HasSubstr(dir_ + " is a directory, not a configuration file"));
  EXPECT_THAT(result.err, Not(HasSubstr("empty")));
}

// A program that is not installed (yet) costs its collector, not the
// service: under systemd --check-config runs first and its exit 2 would
// keep every other collector from starting.
constexpr const char* kMissingProgram =
    "collectors:\n  - name: smart\n    plugin: exec\n    command: [gleaner-no-such-program, -a]\n"
    "  - {name: present, plugin: exec, command: [true]}\n";

TEST_F(OperationsTest, AMissingExecutableIsAWarningForCheckConfig) {
  write_config(kMissingProgram);
  const auto result = run_gleaner({"--config", config_, "--check-config"});
  EXPECT_EQ(result.exit_code, 0) << result.err;
  EXPECT_THAT(result.err, HasSubstr(config_ + ":4:14: warning: "));
  EXPECT_THAT(result.err, HasSubstr("gleaner-no-such-program"));
  EXPECT_THAT(result.out, HasSubstr("config OK: 2 collectors"));
}

TEST_F(OperationsTest, StrictCheckConfigRefusesAMissingExecutable) {
  write_config(kMissingProgram);
  const auto result = run_gleaner({"--config", config_, "--check-config", "--strict"});
  EXPECT_EQ(result.exit_code, 2);
  EXPECT_THAT(result.err, HasSubstr(config_ + ":4:14: "));
  EXPECT_THAT(result.err, HasSubstr("gleaner-no-such-program"));
  EXPECT_THAT(result.err, Not(HasSubstr("warning")));
  EXPECT_THAT(result.out, Not(HasSubstr("config OK")));
}

// Signals. Every signal whose default action would end the daemon either
// stops it as SIGTERM does (its commands ended) or is logged and changes
// nothing; none ends it silently with its commands orphaned.

// The daemon's running child whose program is `name`, or 0.
pid_t child_named(pid_t parent, const std::string& name) {
  for (const auto& process : all_processes()) {
    if (process.parent != parent || process.state == 'Z') continue;
    std::string comm = read_file("/proc/" + std::to_string(process.pid) + "/comm");
    if (comm == name + "\n") return process.pid;
  }
  return 0;
}

pid_t parent_of(pid_t pid) {
  for (const auto& process : all_processes()) {
    if (process.pid == pid) return process.parent;
  }
  return 0;
}

TEST_F(OperationsTest, Usr1IsLoggedAndTheDaemonKeepsServingWithItsCommand) {
  auto& daemon = start("collectors:\n  - {name: hang, plugin: exec, command: [sleep, '300'], timeout: 1h}\n"
                       "  - {name: tick, plugin: exec, interval: 200ms, shell: 'echo tick_value 1'}\n");
  pid_t command = 0;
  ASSERT_TRUE(eventually([&] { return (command = child_named(daemon.pid(), "sleep")) != 0; })) << daemon.log();
  daemon.signal(SIGUSR1);
  ASSERT_TRUE(eventually([&] { return has(daemon.log(), "received SIGUSR1") || daemon.exited(); }));
  ASSERT_FALSE(daemon.exited()) << "SIGUSR1 ended the daemon:\n" << daemon.log();
  EXPECT_THAT(daemon.log(), HasSubstr("received SIGUSR1: no action"));
  // Still serving and still scheduling: runs go on after the signal.
  const auto runs = value_of(scrape_until([](const std::string& b) { return has(b, "tick_value{"); }),
                             "gleaner_collector_runs_total{collector=\"tick\"}");
  ASSERT_TRUE(runs.has_value());
  scrape_until([&](const std::string& b) {
    const auto now = value_of(b, "gleaner_collector_runs_total{collector=\"tick\"}");
    return now && *now > *runs;
  });
  // The command it was running still runs, still its child.
  EXPECT_EQ(parent_of(command), daemon.pid());
  daemon.signal(SIGTERM);
  EXPECT_EQ(daemon.wait_for_exit(), 0) << daemon.log();
}

// The rest of the signals that are only logged, all on one daemon.
TEST_F(OperationsTest, OtherSignalsThatWouldEndItAreLoggedAndChangeNothing) {
  auto& daemon = start("collectors: []\n");
  const std::vector<std::pair<int, std::string>> signals = {
      {SIGUSR2, "SIGUSR2"},       {SIGALRM, "SIGALRM"},          {SIGVTALRM, "SIGVTALRM"},
      {SIGPROF, "SIGPROF"},       {SIGIO, "SIGIO"},              {SIGSTKFLT, "SIGSTKFLT"},
      {SIGXFSZ, "SIGXFSZ"},       {SIGRTMIN, "SIGRTMIN"},        {SIGRTMIN + 5, "SIGRTMIN+5"},
      {SIGRTMAX, "SIGRTMAX"},
  };
  for (const auto& [number, name] : signals) {
    daemon.signal(number);
    ASSERT_TRUE(eventually([&] { return has(daemon.log(), "received " + name + ": no action") || daemon.exited(); }))
        << name << " was not logged:\n" << daemon.log();
    ASSERT_FALSE(daemon.exited()) << name << " ended the daemon:\n" << daemon.log();
  }
  // SIGPIPE is ignored outright: a closed log pipe must not end the daemon.
  daemon.signal(SIGPIPE);
  EXPECT_TRUE(http_get(daemon.port(), "/-/healthy").has_value());
  EXPECT_FALSE(daemon.exited()) << daemon.log();
  daemon.signal(SIGTERM);
  EXPECT_EQ(daemon.wait_for_exit(), 0) << daemon.log();
}

// Signals that stop the daemon the way SIGTERM does.
class StopSignalTest : public DaemonFixture, public ::testing::WithParamInterface<std::pair<int, const char*>> {};

TEST_P(StopSignalTest, StopsCleanlyAndEndsItsCommands) {
  const auto [number, name] = GetParam();
  auto& daemon = start("collectors:\n  - {name: hang, plugin: exec, command: [sleep, '300'], timeout: 1h}\n");
  pid_t command = 0;
  ASSERT_TRUE(eventually([&] { return (command = child_named(daemon.pid(), "sleep")) != 0; })) << daemon.log();
  const auto start_time = std::chrono::steady_clock::now();
  daemon.signal(number);
  const auto code = daemon.wait_for_exit();
  ASSERT_TRUE(code.has_value()) << daemon.log();
  EXPECT_EQ(*code, 0) << daemon.log();
  // A clean stop is prompt: SIGTERM's five seconds, not the patience.
  EXPECT_LT(std::chrono::steady_clock::now() - start_time, std::chrono::seconds(5));
  // Its command's group was ended by the daemon, not left to PID 1.
  EXPECT_TRUE(eventually([&] { return !group_exists(command); })) << "the command's group " << command << " outlived the daemon";
  EXPECT_THAT(daemon.log(), HasSubstr(std::string("received ") + name + ", stopping"));
}

INSTANTIATE_TEST_SUITE_P(Signals, StopSignalTest,
                         ::testing::Values(std::pair<int, const char*>{SIGQUIT, "SIGQUIT"},
                                           std::pair<int, const char*>{SIGXCPU, "SIGXCPU"},
                                           std::pair<int, const char*>{SIGPWR, "SIGPWR"}),
                         [](const auto& info) { return std::string(info.param.second).substr(3); });

TEST(SystemdUnit, PassesSystemdAnalyzeVerify) {
  ASSERT_EQ(::access("/usr/bin/systemd-analyze", X_OK), 0) << "systemd-analyze is not installed (bash .ci/install-deps)";
  // The unit names the installed binary; point it at the one just built.
  std::string unit = read_file(GLEANER_UNIT_FILE);
  ASSERT_THAT(unit, HasSubstr("Type=notify"));
  ASSERT_THAT(unit, HasSubstr("WatchdogSec="));
  ASSERT_THAT(unit, HasSubstr("KillMode=mixed"));
  // A configuration error (exit 2) is not cured by restarting.
  ASSERT_THAT(unit, HasSubstr("RestartPreventExitStatus=2"));
  // ... and RestartPreventExitStatus applies to the main process only: a
  // failed ExecStartPre would be restarted, so the check may not fail the unit.
  ASSERT_THAT(unit, HasSubstr("ExecStartPre=-"));
  const auto verdict = systemd_analyze_verify({{"gleaner.service", pointed_at_built_binary(unit, GLEANER_BINARY)}});
  EXPECT_TRUE(verdict.passed) << verdict.output;
  EXPECT_EQ(verdict.output, "");
}

// README "The smartmon plugin": the drop-in that lets smartctl reach the
// disks is read by systemd with the unit, every line of it understood.
TEST(SystemdUnit, TheSmartmonDropInPassesSystemdAnalyzeVerify) {
  ASSERT_EQ(::access("/usr/bin/systemd-analyze", X_OK), 0) << "systemd-analyze is not installed (bash .ci/install-deps)";
  const auto unit = pointed_at_built_binary(read_file(GLEANER_UNIT_FILE), GLEANER_BINARY);
  const auto drop_in = read_file(std::string(GLEANER_SOURCE_DIR) + "/etc/examples/gleaner.service.d/smartmon.conf");
  ASSERT_THAT(drop_in, HasSubstr("PrivateDevices=no"));
  const auto verdict = systemd_analyze_verify({{"gleaner.service", unit}, {"gleaner.service.d/smartmon.conf", drop_in}});
  EXPECT_TRUE(verdict.passed) << verdict.output;
  EXPECT_EQ(verdict.output, "");
  // It is read: a key systemd does not know is reported.
  const auto broken = systemd_analyze_verify({{"gleaner.service", unit}, {"gleaner.service.d/smartmon.conf", drop_in + "NoSuchKey=1\n"}});
  EXPECT_THAT(broken.output, HasSubstr("NoSuchKey"));
}

// README "The nvme plugin" and "The ipmi plugin": the drop-ins that give
// the unit's commands the devices, as written there, read by systemd with
// the shipped unit (every unknown key or bad value is a word of
// systemd-analyze). Not their effect: no NVMe device or BMC here.
TEST(SystemdUnit, TheReadmesDeviceDropInsAreValid) {
  ASSERT_EQ(::access("/usr/bin/systemd-analyze", X_OK), 0) << "systemd-analyze is not installed (bash .ci/install-deps)";
  const std::string readme = read_file(std::string(GLEANER_SOURCE_DIR) + "/README.md");
  const std::string marker = "```ini\n# /etc/systemd/system/gleaner.service.d/";
  ScratchDir dir;
  std::filesystem::create_directory(dir.file("gleaner.service.d"));
  std::vector<std::string> names;
  for (auto at = readme.find(marker); at != std::string::npos; at = readme.find(marker, at + 1)) {
    const auto name_at = at + marker.size();
    const auto name = readme.substr(name_at, readme.find('\n', name_at) - name_at);
    const auto body_at = readme.find('\n', name_at) + 1;
    std::ofstream(dir.file("gleaner.service.d/" + name)) << readme.substr(body_at, readme.find("```", body_at) - body_at);
    names.push_back(name);
  }
  EXPECT_THAT(names, ::testing::ElementsAre("nvme.conf", "ipmi.conf"));
  std::ofstream(dir.file("gleaner.service")) << pointed_at_built_binary(read_file(GLEANER_UNIT_FILE), GLEANER_BINARY);
  const auto run = run_child({"systemd-analyze", "verify", dir.file("gleaner.service")});
  EXPECT_EQ(run.exit_code, 0);
  EXPECT_EQ(run.out + run.err, "");
}

}  // namespace
}  // namespace gleaner::testing
