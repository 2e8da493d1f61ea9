// The catalog plugins through the real binary (`--once`): apt on this very
// host, against apt's own count of pending upgrades; mdraid on
// node_exporter's /proc/mdstat fixture, and on a host without md arrays;
// chrony against a chronyd of its own; smartmon through a stand-in smartctl
// printing real disks' answers, and through the real smartctl.

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <unistd.h>

#include <cmath>
#include <cstdio>
#include <ctime>
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

// The lines of an exposition that mention text, each with its newline.
std::string lines_with(const std::string& exposition, const std::string& text) {
  std::istringstream lines(exposition);
  std::string kept;
  for (std::string line; std::getline(lines, line);) {
    if (line.find(text) != std::string::npos) kept += line + "\n";
  }
  return kept;
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

// No disk can be real in a test: a stand-in smartctl prints real disks'
// answers (fixtures/smartmon/SOURCES.md) with their exit statuses, and
// hands the one device it cannot open to the real smartctl, which finds no
// such device here. The daemon serves them over HTTP.
TEST_F(CatalogTest, SmartmonReportsEveryDeviceAndTheFailingOne) {
  const auto real = shell_output("command -v smartctl");
  if (real.empty()) GTEST_SKIP() << "needs smartctl (.ci/install-deps)";
  const std::string fixtures = std::string(GLEANER_FIXTURE_DIR) + "/smartmon/";
  const auto smartctl = write("smartctl",
                              "#!/bin/sh\n"
                              "echo \"$*\" >> " + dir_ + "/argv.log\n"
                              "case \"$*\" in\n"
                              "  *--scan-open*) cat " + fixtures + "scan-open-three-devices.json ;;\n"
                              "  *' /dev/sda') cat " + fixtures + "ata-Seagate_ST1000NM0008.json ;;\n"
                              "  *' /dev/nvme0') cat " + fixtures +
                                  "nvme-SAMSUNG_MZWLL3T2HAJQ-failing.json; exit 8 ;;\n"
                              "  *) exec " + real + " \"$@\" ;;\n"
                              "esac\n",
                              true);
  start("collectors:\n  - name: smartmon\n    plugin: smartmon\n    interval: 1s\n    options: {smartctl: " +
        smartctl + "}\n");
  const auto body = scrape_until([](const std::string& text) { return has(text, "smartmon_device_active{"); });
  const std::string sda = "{collector=\"smartmon\",disk=\"/dev/sda\",type=\"sat\"";
  const std::string nvme = "{collector=\"smartmon\",disk=\"/dev/nvme0\",type=\"nvme\"";
  const std::string sdb = "{collector=\"smartmon\",disk=\"/dev/sdb\",type=\"scsi\"";
  EXPECT_EQ(value_of(body, "smartmon_device_smart_healthy" + sda + "}"), 1) << body;
  EXPECT_EQ(value_of(body, "smartmon_power_on_hours_raw_value" + sda + ",smart_id=\"9\"}"), 47060);
  // The failing disk is data: unhealthy, its exit status 8, the run a success.
  EXPECT_EQ(value_of(body, "smartmon_device_smart_healthy" + nvme + "}"), 0);
  EXPECT_EQ(value_of(body, "smartmon_smartctl_exit_status" + nvme + "}"), 8);
  // The device the real smartctl could not open: inactive, exit status 2.
  EXPECT_EQ(value_of(body, "smartmon_device_active" + sdb + "}"), 0);
  EXPECT_EQ(value_of(body, "smartmon_smartctl_exit_status" + sdb + "}"), 2);
  EXPECT_FALSE(has(body, "smartmon_device_info" + sdb));
  EXPECT_EQ(value_of(body, "smartmon_smartctl_version{collector=\"smartmon\",version=\"7.3\"}"), 1);
  // The wall clock when the device was read, in whole seconds.
  const auto run = value_of(body, "smartmon_smartctl_run" + sda + "}");
  ASSERT_TRUE(run.has_value());
  EXPECT_EQ(*run, std::floor(*run));
  EXPECT_NEAR(*run, static_cast<double>(std::time(nullptr)), 600);
  EXPECT_TRUE(has(body, "# HELP smartmon_device_smart_healthy SMART metric device_smart_healthy\n"));
  EXPECT_EQ(value_of(body, "gleaner_collector_up{collector=\"smartmon\"}"), 1) << body;
  // As the script asks: each device by its scanned type, left asleep if it sleeps.
  const auto argv = read_file(dir_ + "/argv.log");
  EXPECT_THAT(argv, HasSubstr("--json --scan-open\n"));
  EXPECT_THAT(argv, HasSubstr("--json --info --health --attributes --nocheck=standby --device sat /dev/sda\n"));
  EXPECT_THAT(argv, HasSubstr("--device scsi /dev/sdb\n"));
  const auto verdict = promtool_check_metrics(body);
  EXPECT_TRUE(verdict.valid) << verdict.output;
}

// The real smartctl, and nothing else: on this host it finds no disk, so
// gleaner prints what Debian's smartmon.sh printed here with the same
// smartctl (fixtures/smartmon/smartmon_sh_no_disks.prom); the devices
// configured then are answered per device.
TEST_F(CatalogTest, SmartmonWithTheRealSmartctlAsTheScriptPrintsIt) {
  if (shell_output("command -v smartctl").empty()) GTEST_SKIP() << "needs smartctl (.ci/install-deps)";
  const auto scanned = once("  - name: smartmon\n    plugin: smartmon\n");
  ASSERT_EQ(scanned.exit_code, 0) << scanned.out << scanned.err;
  std::string script = read_file(std::string(GLEANER_FIXTURE_DIR) + "/smartmon/smartmon_sh_no_disks.prom");
  // Every series gleaner serves also carries its collector's name.
  script.replace(script.find("{version"), 1, "{collector=\"smartmon\",");
  EXPECT_EQ(lines_with(scanned.out, "smartmon_"), script);
  const auto listed = once("  - name: smartmon\n    plugin: smartmon\n    options:\n      devices: [/dev/null, "
                           "{path: /dev/nvme0, type: nvme}]\n");
  ASSERT_EQ(listed.exit_code, 0) << listed.out << listed.err;
  const std::string null = "{collector=\"smartmon\",disk=\"/dev/null\",type=\"\"}";
  const std::string nvme0 = "{collector=\"smartmon\",disk=\"/dev/nvme0\",type=\"nvme\"}";
  EXPECT_EQ(value_of(listed.out, "smartmon_smartctl_exit_status" + null), 1) << listed.out;
  EXPECT_EQ(value_of(listed.out, "smartmon_device_active" + nvme0), 0);
  EXPECT_EQ(value_of(listed.out, "smartmon_smartctl_exit_status" + nvme0), 2);
  const auto verdict = promtool_check_metrics(listed.out);
  EXPECT_TRUE(verdict.valid) << verdict.output;
}

TEST_F(CatalogTest, SmartmonOutputThatIsNotSmartctlsFailsTheRun) {
  const auto smartctl = write("smartctl", "#!/bin/sh\necho '/dev/sda -d sat # /dev/sda [SAT], ATA device'\n", true);
  const auto result = once("  - name: smartmon\n    plugin: smartmon\n    options: {smartctl: " + smartctl + "}\n");
  EXPECT_NE(result.exit_code, 0);
  EXPECT_THAT(result.err, HasSubstr("not smartctl --json output"));
  EXPECT_THAT(result.out, Not(HasSubstr("smartmon_")));
}

// wakeup_disks: the devices configured, each asked without --nocheck, so
// that a sleeping disk is read (and spun up).
TEST_F(CatalogTest, SmartmonWakeupDisksAsksWithoutNocheck) {
  const std::string fixtures = std::string(GLEANER_FIXTURE_DIR) + "/smartmon/";
  const auto smartctl = write("smartctl",
                              "#!/bin/sh\n"
                              "echo \"$*\" >> " + dir_ + "/argv.log\n"
                              "case \"$*\" in\n"
                              "  *--version*) cat " + fixtures + "real-version.json ;;\n"
                              "  *) cat " + fixtures + "ata-Seagate_ST1000NM0008.json ;;\n"
                              "esac\n",
                              true);
  const auto result = once("  - name: smartmon\n    plugin: smartmon\n    options: {smartctl: " + smartctl +
                           ", wakeup_disks: true, devices: [/dev/sda]}\n");
  ASSERT_EQ(result.exit_code, 0) << result.out << result.err;
  EXPECT_EQ(read_file(dir_ + "/argv.log"), "--json --version\n--json --info --health --attributes /dev/sda\n");
  // No type configured: the label is the one smartctl detected.
  EXPECT_EQ(value_of(result.out, "smartmon_device_active{collector=\"smartmon\",disk=\"/dev/sda\",type=\"sat\"}"), 1)
      << result.out;
}

// The smartctl named is a program gleaner runs: trusted as an exec command's.
TEST_F(CatalogTest, SmartmonRefusesASmartctlOthersMayChange) {
  const auto smartctl = write("smartctl", "#!/bin/sh\n", true);
  std::filesystem::permissions(smartctl, std::filesystem::perms::group_write, std::filesystem::perm_options::add);
  const auto result = run_gleaner(
      {"--config",
       write_config("collectors:\n  - name: smart\n    plugin: smartmon\n    options: {smartctl: " + smartctl + "}\n"),
       "--check-config"});
  EXPECT_EQ(result.exit_code, 2);
  EXPECT_THAT(result.err, HasSubstr("gleaner.yaml:4:25: "));
  EXPECT_THAT(result.err, HasSubstr("chmod go-w " + smartctl));
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
  const auto smartmon = run_gleaner(
      {"--config",
       write_config("collectors:\n  - name: smart\n    plugin: smartmon\n    options:\n"
                    "      devices: [/dev/sda, sdb, {path: /dev/bus/0, type: megaraid}, {path: /dev/sdc, kind: sat},"
                    " /dev/sda]\n"
                    "      smartctl: smartctl\n      wakeup: true\n"),
       "--check-config"});
  EXPECT_EQ(smartmon.exit_code, 2);
  EXPECT_THAT(smartmon.err, HasSubstr("gleaner.yaml:5:27: options.devices: a device is an absolute path"));
  EXPECT_THAT(smartmon.err, HasSubstr("gleaner.yaml:5:85: unknown key \"kind\" in options.devices entry"));
  EXPECT_THAT(smartmon.err, HasSubstr("gleaner.yaml:5:97: options.devices: /dev/sda is listed twice"));
  EXPECT_THAT(smartmon.err, HasSubstr("gleaner.yaml:6:17: options.smartctl: must be an absolute path"));
  EXPECT_THAT(smartmon.err, HasSubstr("gleaner.yaml:7:7: unknown key \"wakeup\""));
}

TEST_F(CatalogTest, TheShippedExamplesAreValid) {
  for (const char* example : {"apt.yaml.disabled", "mdraid.yaml.disabled", "chrony.yaml.disabled",
                              "smartmon.yaml.disabled"}) {
    const auto check = run_gleaner(
        {"--config", std::string(GLEANER_SOURCE_DIR) + "/etc/examples/conf.d/" + example, "--check-config"});
    EXPECT_EQ(check.exit_code, 0) << example << check.out << check.err;
  }
}

}  // namespace
}  // namespace gleaner::testing
