// Refusing files that others control or that cannot be read safely: the
// real binary, as root, against files owned by nobody, folders everyone can
// write, symbolic links, a FIFO and a device. --check-config, start-up and a
// reload on SIGHUP all refuse, and none of them can hang.

#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <signal.h>
#include <sys/stat.h>
#include <unistd.h>

#include <chrono>
#include <filesystem>

#include "tests/support/daemon_fixture.h"
#include "tests/support/daemon_process.h"

namespace gleaner::testing {
namespace {

using ::testing::HasSubstr;
using namespace std::chrono_literals;

constexpr uid_t kNobody = 65534;
// --check-config takes milliseconds; a version that blocks on a FIFO or
// reads /dev/zero never ends.
constexpr auto kCheckPatience = 10s;

class UnsafeFilesTest : public DaemonFixture {
 protected:
  void SetUp() override {
    DaemonFixture::SetUp();
    ASSERT_EQ(::geteuid(), 0u) << "these tests give files to nobody: run them as root";
    std::filesystem::create_directories(dir_ + "/conf.d");
  }

  // --check-config, then a start, with the configuration as it stands: both
  // must refuse, quickly, saying `reason`.
  void expect_refused(const std::string& reason) {
    const auto check = run_gleaner({"--config", config_, "--check-config"}, kCheckPatience);
    EXPECT_FALSE(check.timed_out) << "--check-config did not end";
    EXPECT_EQ(check.exit_code, 2);
    EXPECT_THAT(check.err, HasSubstr(reason));
    const auto start = run_gleaner({"--config", config_, "--listen", "127.0.0.1:0"}, kCheckPatience);
    EXPECT_FALSE(start.timed_out) << "start-up did not end";
    EXPECT_EQ(start.exit_code, 2);
    EXPECT_THAT(start.err, HasSubstr(reason));
  }
};

TEST_F(UnsafeFilesTest, AnIncludeLinkedIntoAFolderEveryoneCanWriteIsRefused) {
  std::filesystem::create_directories(dir_ + "/ww");
  write("ww/x.yaml", "collectors:\n  - {name: who, plugin: exec, command: [/usr/bin/id, -u]}\n");
  ::chmod((dir_ + "/ww").c_str(), 0777);
  std::filesystem::create_symlink("../ww/x.yaml", dir_ + "/conf.d/x.yaml");
  write_config("include: [\"conf.d/*.yaml\"]\n");
  expect_refused(dir_ + "/conf.d/x.yaml leads to " + dir_ + "/ww/x.yaml: " + dir_ +
                 "/ww is writable by everyone (mode 0777), so others could change what gleaner runs or reads: "
                 "chmod go-w " + dir_ + "/ww");
}

TEST_F(UnsafeFilesTest, AConfigurationOwnedByNobodyIsRefused) {
  write_config("collectors:\n  - {name: who, plugin: exec, command: [/usr/bin/id, -u]}\n");
  ASSERT_EQ(::chown(config_.c_str(), kNobody, kNobody), 0);
  expect_refused(config_ + " is owned by nobody (uid 65534), not by root, so its owner could change what gleaner "
                 "runs or reads: chown root " + config_);
}

TEST_F(UnsafeFilesTest, AMainConfigurationLinkedIntoAFolderEveryoneCanWriteIsRefused) {
  std::filesystem::create_directories(dir_ + "/ww");
  write("ww/real.yaml", "collectors: []\n");
  ::chmod((dir_ + "/ww").c_str(), 0777);
  std::filesystem::remove(config_);
  std::filesystem::create_symlink(dir_ + "/ww/real.yaml", config_);
  expect_refused(dir_ + "/ww is writable by everyone (mode 0777)");
}

TEST_F(UnsafeFilesTest, AScriptEveryoneCanWriteIsRefusedAtItsCommand) {
  const auto script = write("probe.sh", "echo probe 1\n");
  ::chmod(script.c_str(), 0666);
  write_config("collectors:\n  - {name: probe, plugin: exec, command: [/bin/sh, " + script + "]}\n");
  expect_refused(config_ + ":2:42: " + script + " is writable by everyone (mode 0666), so others could change what "
                 "gleaner runs or reads: chmod go-w " + script);
}

TEST_F(UnsafeFilesTest, CheckConfigEndsOnAFifoADeviceAndAFolderInConfD) {
  ASSERT_EQ(::mkfifo((dir_ + "/conf.d/fifo.yaml").c_str(), 0600), 0);
  write_config("include: [\"conf.d/*.yaml\"]\n");
  expect_refused(dir_ + "/conf.d/fifo.yaml is a FIFO, not a regular file");
  std::filesystem::remove(dir_ + "/conf.d/fifo.yaml");
  std::filesystem::create_symlink("/dev/zero", dir_ + "/conf.d/zero.yaml");
  expect_refused(dir_ + "/conf.d/zero.yaml (which leads to /dev/zero) is a character device, not a regular file");
  std::filesystem::remove(dir_ + "/conf.d/zero.yaml");
  std::filesystem::create_directories(dir_ + "/conf.d/folder.yaml");
  expect_refused(dir_ + "/conf.d/folder.yaml is a directory, not a regular file");
}

TEST_F(UnsafeFilesTest, AReloadThatMeetsAFifoFailsAndTheDaemonKeepsServing) {
  write("conf.d/a.yaml", "collectors:\n  - {name: a, plugin: exec, interval: 200ms, shell: 'echo a_value 1'}\n");
  start("include: [\"conf.d/*.yaml\"]\n");
  scrape_until([](const std::string& b) { return has(b, "a_value{collector=\"a\"} 1"); });
  ASSERT_EQ(::mkfifo((dir_ + "/conf.d/fifo.yaml").c_str(), 0600), 0);
  daemon_->signal(SIGHUP);
  auto body = scrape_until([](const std::string& b) { return has(b, "gleaner_config_last_reload_successful 0"); });
  EXPECT_THAT(daemon_->log(), HasSubstr("reload failed: " + dir_ + "/conf.d/fifo.yaml:0:0: " + dir_ +
                                        "/conf.d/fifo.yaml is a FIFO, not a regular file"));
  // Still collecting on the old configuration, and not wedged: the next
  // reload, with the FIFO gone, is taken.
  const double runs = *value_of(body, "gleaner_collector_runs_total{collector=\"a\"}");
  scrape_until([&](const std::string& b) {
    const auto now = value_of(b, "gleaner_collector_runs_total{collector=\"a\"}");
    return now && *now > runs;
  });
  std::filesystem::remove(dir_ + "/conf.d/fifo.yaml");
  write("conf.d/a.yaml", "collectors:\n  - {name: a, plugin: exec, interval: 200ms, shell: 'echo a_value 2'}\n");
  daemon_->signal(SIGHUP);
  scrape_until([](const std::string& b) {
    return has(b, "gleaner_config_last_reload_successful 1") && has(b, "a_value{collector=\"a\"} 2");
  });
}

}  // namespace
}  // namespace gleaner::testing
