// The catalog plugins through the real binary (`--once`): apt on this very
// host, against apt's own count of pending upgrades; mdraid on
// node_exporter's /proc/mdstat fixture, and on a host without md arrays;
// chrony against a chronyd of its own.

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <unistd.h>

#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <sstream>

#include "../support/daemon_fixture.h"
#include "../support/promtool.h"

namespace gleaner::testing {
namespace {

using ::testing::HasSubstr;
using ::testing::Not;

// What a shell command prints, trimmed.
std::string shell_output(const std::string& command) {
  std::string output;
  FILE* pipe = ::popen(command.c_str(), "r");
  if (!pipe) return output;
  char buffer[4096];
  while (const auto n = std::fread(buffer, 1, sizeof buffer, pipe)) output.append(buffer, n);
  ::pclose(pipe);
  while (!output.empty() && (output.back() == '\n' || output.back() == ' ')) output.pop_back();
  return output;
}

// The sum of every sample of a family in an exposition, and how many there were.
std::pair<double, int> sum_of(const std::string& exposition, const std::string& name) {
  std::istringstream lines(exposition);
  double sum = 0;
  int count = 0;
  for (std::string line; std::getline(lines, line);) {
    if (line.rfind(name + "{", 0) != 0 && line.rfind(name + " ", 0) != 0) continue;
    sum += std::stod(line.substr(line.rfind(' ') + 1));
    ++count;
  }
  return {sum, count};
}

class CatalogTest : public DaemonFixture {
 protected:
  CommandOutput once(const std::string& collector) {
    return run_gleaner({"--config", write_config("collectors:\n" + collector), "--once"});
  }
};

TEST_F(CatalogTest, AptCountsThePendingUpgradesAptListShows) {
  const auto result = once("  - name: apt\n    plugin: apt\n    timeout: 60s\n");
  ASSERT_EQ(result.exit_code, 0) << result.out << result.err;
  const auto listed = std::stod(shell_output("apt list --upgradable 2>/dev/null | grep -c upgradable"));
  EXPECT_EQ(sum_of(result.out, "apt_upgrades_pending").first, listed) << result.out;
  const auto removable = std::stod(shell_output("apt-get -s autoremove 2>/dev/null | grep -c '^Remv'"));
  EXPECT_EQ(sum_of(result.out, "apt_autoremove_pending").first, removable);
  EXPECT_EQ(sum_of(result.out, "apt_upgrades_held").second > 0, true);
  EXPECT_EQ(sum_of(result.out, "node_reboot_required").first,
            shell_output("test -e /run/reboot-required && echo 1 || echo 0") == "1" ? 1 : 0);
  EXPECT_THAT(result.out, HasSubstr("# HELP apt_upgrades_pending Apt packages pending updates by origin."));
  const auto verdict = promtool_check_metrics(result.out);
  EXPECT_TRUE(verdict.valid) << verdict.output;
}

TEST_F(CatalogTest, MdraidReadsNodeExportersFixture) {
  const auto result = once("  - name: mdraid\n    plugin: mdraid\n    options: {path: " +
                           std::string(GLEANER_FIXTURE_DIR) + "/mdraid/node_exporter_mdstat.txt}\n");
  ASSERT_EQ(result.exit_code, 0) << result.out << result.err;
  EXPECT_EQ(sum_of(result.out, "node_md_disks_required").second, 17);
  EXPECT_THAT(result.out, HasSubstr("# HELP node_md_state Indicates the state of md-device."));
  std::istringstream lines(result.out);
  bool recovering = false;
  for (std::string line; std::getline(lines, line);) {
    if (line.starts_with("node_md_state{") && line.find("device=\"md6\"") != std::string::npos &&
        line.find("state=\"recovering\"") != std::string::npos) {
      recovering = line.ends_with(" 1");
    }
  }
  EXPECT_TRUE(recovering) << result.out;
  const auto verdict = promtool_check_metrics(result.out);
  EXPECT_TRUE(verdict.valid) << verdict.output;
}

TEST_F(CatalogTest, MdraidWithoutTheFileIsNoArrays) {
  // No md module loaded: no /proc/mdstat, which is no failure.
  const auto result = once("  - name: mdraid\n    plugin: mdraid\n    options: {path: " + dir_ + "/no-mdstat}\n");
  EXPECT_EQ(result.exit_code, 0) << result.out << result.err;
  EXPECT_THAT(result.out, Not(HasSubstr("node_md_")));
}

// A chronyd of its own, without control of the clock, serving its own
// clock at stratum 10 on a command socket in the scratch folder.
TEST_F(CatalogTest, ChronyReadsARealChronyd) {
  if (shell_output("command -v chronyd >/dev/null && command -v chronyc >/dev/null && echo yes") != "yes" ||
      ::geteuid() != 0) {
    GTEST_SKIP() << "needs chronyd and chronyc (.ci/install-deps) and root";
  }
  const auto run = dir_ + "/chrony";
  std::filesystem::create_directory(run);
  std::filesystem::permissions(run, std::filesystem::perms::owner_all);
  const auto conf = write("chrony.conf", "local stratum 10\nport 0\ncmdport 0\npidfile " + run +
                                             "/chronyd.pid\nbindcmdaddress " + run + "/chronyd.sock\n");
  ASSERT_EQ(std::system(("chronyd -x -U -u root -f " + conf + " -l " + run + "/log").c_str()), 0);
  ASSERT_TRUE(eventually([&] { return std::filesystem::exists(run + "/chronyd.sock"); }));
  const auto result = once("  - name: chrony\n    plugin: chrony\n    options: {host: " + run + "/chronyd.sock}\n");
  const int stopped = std::system(("kill $(cat " + run + "/chronyd.pid)").c_str());
  EXPECT_EQ(stopped, 0);
  ASSERT_EQ(result.exit_code, 0) << result.out << result.err;
  EXPECT_EQ(sum_of(result.out, "chrony_tracking_stratum").first, 10) << result.out;
  EXPECT_THAT(result.out, HasSubstr("ref_id=\"7F7F0101\""));
  const auto verdict = promtool_check_metrics(result.out);
  EXPECT_TRUE(verdict.valid) << verdict.output;
}

TEST_F(CatalogTest, OptionsAreChecked) {
  const auto result = run_gleaner(
      {"--config",
       write_config("collectors:\n  - name: apt\n    plugin: apt\n    options: {colour: blue}\n"
                    "  - name: md\n    plugin: mdraid\n    options: {path: proc/mdstat}\n"),
       "--check-config"});
  EXPECT_EQ(result.exit_code, 2);
  EXPECT_THAT(result.err, HasSubstr("gleaner.yaml:4:15: unknown key \"colour\""));
  EXPECT_THAT(result.err, HasSubstr("gleaner.yaml:7:21: options.path: must be an absolute path"));
}

TEST_F(CatalogTest, TheShippedExamplesAreValid) {
  for (const char* example : {"apt.yaml.disabled", "mdraid.yaml.disabled", "chrony.yaml.disabled"}) {
    const auto check = run_gleaner(
        {"--config", std::string(GLEANER_SOURCE_DIR) + "/etc/examples/conf.d/" + example, "--check-config"});
    EXPECT_EQ(check.exit_code, 0) << example << check.out << check.err;
  }
}

}  // namespace
}  // namespace gleaner::testing
