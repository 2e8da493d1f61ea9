// The catalog plugins through the real binary (`--once`): apt on this very
// host, against apt's own count of pending upgrades; mdraid on
// node_exporter's /proc/mdstat fixture, and on a host without md arrays;
// chrony against a chronyd of its own; smartmon through a stand-in smartctl
// printing real disks' answers, and through the real smartctl. nvme and
// ipmi through the daemon, scraped over HTTP: this machine has no NVMe
// device and no BMC, so their tools are small scripts printing the fixtures
// (real outputs, see fixtures/*/SOURCES.md); the real nvme and ipmitool give
// the no-device and no-BMC answers.

#include <arpa/inet.h>
#include <netinet/in.h>
#include <signal.h>
#include <spawn.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <fstream>
#include <map>
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <unistd.h>

#include <cmath>
#include <cstdio>
#include <ctime>
#include <cstdlib>
#include <filesystem>
#include <sstream>

#include "tests/support/daemon_fixture.h"
#include "tests/support/promtool.h"
#include "tests/support/fixtures.h"
#include "tests/support/shell_output.h"

namespace gleaner::testing {
namespace {

using ::testing::HasSubstr;
using ::testing::Not;

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

  // A stand-in for nvme-cli: the fixtures as nvme_metrics_sh.prom was made
  // from them; the smart-log of /dev/nvme1n1 fails when failing_device.
  std::string fake_nvme(bool failing_device) {
    const std::string fixtures = std::string(GLEANER_FIXTURE_DIR) + "/nvme/";
    return write("nvme",
                 "#!/bin/sh\n"
                 "case \"$1 $*\" in\n"
                 "  \"version \"*) cat " + fixtures + "nvme_version.txt ;;\n"
                 "  \"list \"*) cat " + fixtures + "netdata_v2.3_list.json ;;\n"
                 "  *\" /dev/nvme0n1\") cat " + fixtures + "nvme_cli_2.3_smart_log_firecuda.json ;;\n" +
                     (failing_device ? "  *\" /dev/nvme1n1\") echo 'open: Permission denied' >&2; exit 1 ;;\n"
                                     : "  *\" /dev/nvme1n1\") cat " + fixtures + "nvme_cli_2.3_smart_log_worn.json ;;\n") +
                     "  *) echo \"unexpected: $*\" >&2; exit 2 ;;\n"
                     "esac\n",
                 true);
  }
};

// The series a script printed (every one labelled), as gleaner exposes
// them: with the collector's label first; series → value.
std::map<std::string, double> as_collected(const std::string& script, const std::string& collector) {
  std::map<std::string, double> collected;
  std::istringstream lines(script);
  for (std::string line; std::getline(lines, line);) {
    if (line.empty() || line.front() == '#') continue;
    const auto brace = line.find('{');
    const auto space = line.rfind(' ');
    collected[line.substr(0, brace) + "{collector=\"" + collector + "\"," + line.substr(brace + 1, space - brace - 1)] =
        std::stod(line.substr(space + 1));
  }
  return collected;
}

TEST_F(CatalogTest, AptCountsThePendingUpgradesAptListShows) {
  // The timeout bounds the run's five commands together, and apt-get's
  // simulation alone takes up to a minute on a loaded 2-core machine.
  const auto result = once("  - name: apt\n    plugin: apt\n    timeout: 5m\n");
  ASSERT_EQ(result.exit_code, 0) << result.out << result.err;
  const auto listed = std::stod(trimmed_shell_output("apt list --upgradable 2>/dev/null | grep -c upgradable"));
  EXPECT_EQ(sum_of(result.out, "apt_upgrades_pending").first, listed) << result.out;
  const auto removable = std::stod(trimmed_shell_output("apt-get -s autoremove 2>/dev/null | grep -c '^Remv'"));
  EXPECT_EQ(sum_of(result.out, "apt_autoremove_pending").first, removable);
  EXPECT_EQ(sum_of(result.out, "apt_upgrades_held").second > 0, true);
  EXPECT_EQ(sum_of(result.out, "node_reboot_required").first,
            trimmed_shell_output("test -e /run/reboot-required && echo 1 || echo 0") == "1" ? 1 : 0);
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
  if (trimmed_shell_output("command -v chronyd >/dev/null && command -v chronyc >/dev/null && echo yes") != "yes" ||
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
  const auto real = trimmed_shell_output("command -v smartctl");
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
  if (trimmed_shell_output("command -v smartctl").empty()) GTEST_SKIP() << "needs smartctl (.ci/install-deps)";
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

TEST_F(CatalogTest, NvmeServesTheSeriesOfDebiansScriptOverHttp) {
  start("collectors:\n  - name: nvme\n    plugin: nvme\n    interval: 1s\n    options: {nvme: " + fake_nvme(false) +
        "}\n");
  const auto body = scrape_until([](const std::string& b) { return has(b, "nvme_temperature_celsius{"); });
  auto expected = as_collected(read_fixture("nvme/nvme_metrics_sh.prom"), "nvme");
  ASSERT_EQ(expected.size(), 29u);
  for (auto& [series, value] : expected) {
    // The busy time in seconds, where the script shows minutes (README "The nvme plugin").
    if (series.starts_with("nvme_controller_busy_time_seconds")) value *= 60;
    EXPECT_EQ(value_of(body, series), value) << series;
  }
  EXPECT_THAT(body, HasSubstr("# HELP nvme_temperature_celsius SMART metric temperature_celsius\n"));
  EXPECT_THAT(body, HasSubstr("# TYPE nvme_media_errors_total counter\n"));
  const auto verdict = promtool_check_metrics(body);
  EXPECT_TRUE(verdict.valid) << verdict.output;
}

TEST_F(CatalogTest, NvmeKeepsTheOtherDevicesWhenOneFails) {
  start("collectors:\n  - name: nvme\n    plugin: nvme\n    interval: 1s\n    options: {nvme: " + fake_nvme(true) +
        "}\n");
  const auto body = scrape_until([](const std::string& b) {
    return has(b, "gleaner_collector_dropped_series_total{collector=\"nvme\",reason=\"malformed\"} 1");
  });
  EXPECT_EQ(value_of(body, "nvme_temperature_celsius{collector=\"nvme\",device=\"nvme0n1\"}"), 37);
  EXPECT_THAT(body, Not(HasSubstr("device=\"nvme1n1\"")));
  EXPECT_EQ(value_of(body, "gleaner_collector_up{collector=\"nvme\"}"), 1);
  ASSERT_TRUE(eventually([&] { return has(daemon_->log(), "/dev/nvme1n1: exit code 1: open: Permission denied"); })) << daemon_->log();
  EXPECT_THAT(daemon_->log(), HasSubstr("collector nvme: series not exposed"));
}

TEST_F(CatalogTest, NvmeWithoutTheDriverIsNoDevice) {
  // The real nvme of Debian 12 on this machine, which has no nvme driver.
  if (trimmed_shell_output("command -v nvme >/dev/null && echo yes") != "yes") GTEST_SKIP() << "needs nvme (.ci/install-deps)";
  const auto result = once("  - name: nvme\n    plugin: nvme\n");
  ASSERT_EQ(result.exit_code, 0) << result.out << result.err;
  EXPECT_THAT(result.out, HasSubstr("nvme_nvmecli{collector=\"nvme\",version=\"" +
                                        trimmed_shell_output("nvme version | awk '$1 == \"nvme\" {print $3}'") + "\"} 1"));
  EXPECT_THAT(result.out, Not(HasSubstr("nvme_temperature_celsius")));
}

TEST_F(CatalogTest, IpmiServesTheSeriesOfDebiansScriptOverHttp) {
  const std::string output = std::string(GLEANER_FIXTURE_DIR) + "/ipmi/linuxfabrik_thirtyeight-sensors-with-critical";
  const auto ipmitool = write("ipmitool", "#!/bin/sh\n[ \"$*\" = sensor ] || exit 2\ncat '" + output + ".txt'\n", true);
  start("collectors:\n  - name: ipmi\n    plugin: ipmi\n    interval: 1s\n    options: {ipmitool: " + ipmitool + "}\n");
  const auto body = scrape_until([](const std::string& b) { return has(b, "node_ipmi_status{"); });
  const auto expected =
      as_collected(read_fixture("ipmi/linuxfabrik_thirtyeight-sensors-with-critical_ipmitool_script.prom"), "ipmi");
  ASSERT_EQ(expected.size(), 39u);
  for (const auto& [series, value] : expected) EXPECT_EQ(value_of(body, series), value) << series;
  EXPECT_THAT(body, HasSubstr("# HELP node_ipmi_speed_rpm Fan sensor reading from ipmitool\n"));
  const auto verdict = promtool_check_metrics(body);
  EXPECT_TRUE(verdict.valid) << verdict.output;
}

// OpenIPMI's BMC simulator (ipmi_sim) on a free UDP port of loopback, with
// the sensors of fixtures/ipmi/capture/bmc.emu; ended with the test.
class SimulatedBmc {
 public:
  explicit SimulatedBmc(const std::string& dir) {
    port_ = free_udp_port();
    std::string conf = read_fixture("ipmi/capture/lan.conf");
    conf.replace(conf.find("9623"), 4, std::to_string(port_));
    std::ofstream(dir + "/lan.conf") << conf;
    const std::string emu = fixture_path("ipmi/capture/bmc.emu");
    const std::string state = dir + "/bmc-state";
    const std::string conf_path = dir + "/lan.conf";
    std::vector<const char*> argv = {"ipmi_sim", "-c", conf_path.c_str(), "-f", emu.c_str(), "-s", state.c_str(),
                                     "-n", nullptr};
    if (::posix_spawnp(&pid_, "ipmi_sim", nullptr, nullptr, const_cast<char* const*>(argv.data()), environ) != 0) {
      pid_ = -1;
    }
  }
  ~SimulatedBmc() {
    if (pid_ <= 0) return;
    ::kill(pid_, SIGTERM);
    ::waitpid(pid_, nullptr, 0);
  }
  SimulatedBmc(const SimulatedBmc&) = delete;
  SimulatedBmc& operator=(const SimulatedBmc&) = delete;

  int port() const { return port_; }
  // Its UDP socket is bound (/proc/net/udp lists 127.0.0.1:port).
  bool listening() const {
    char local[32];
    std::snprintf(local, sizeof local, "0100007F:%04X ", port_);
    std::ifstream udp("/proc/net/udp");
    for (std::string line; std::getline(udp, line);) {
      if (line.find(local) != std::string::npos) return true;
    }
    return false;
  }
  bool started() const { return pid_ > 0; }

 private:
  static int free_udp_port() {
    const int fd = ::socket(AF_INET, SOCK_DGRAM, 0);
    sockaddr_in address{};
    address.sin_family = AF_INET;
    address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    socklen_t length = sizeof address;
    ::bind(fd, reinterpret_cast<sockaddr*>(&address), sizeof address);
    ::getsockname(fd, reinterpret_cast<sockaddr*>(&address), &length);
    ::close(fd);
    return ntohs(address.sin_port);
  }

  pid_t pid_ = -1;
  int port_ = 0;
};

TEST_F(CatalogTest, IpmiReadsASimulatedBmcWithTheRealIpmitool) {
  if (trimmed_shell_output("command -v ipmitool >/dev/null && command -v ipmi_sim >/dev/null && echo yes") != "yes") {
    GTEST_SKIP() << "needs ipmitool and ipmi_sim (.ci/install-deps)";
  }
  SimulatedBmc bmc(dir_);
  ASSERT_TRUE(bmc.started());
  ASSERT_TRUE(eventually([&] { return bmc.listening(); }));
  // Debian 12's ipmitool, over the network to the simulator: its every
  // word is the real one's. Cipher suite 3 named: asking the simulator for
  // its suites costs ipmitool a 10 s timeout.
  const auto ipmitool = write("ipmitool-lan",
                              "#!/bin/sh\nexec ipmitool -I lanplus -C 3 -H 127.0.0.1 -p " + std::to_string(bmc.port()) +
                                  " -U ipmiusr -P test \"$@\"\n",
                              true);
  start("collectors:\n  - name: ipmi\n    plugin: ipmi\n    interval: 1s\n    timeout: 20s\n    options: {ipmitool: " +
        ipmitool + "}\n");
  const auto body = scrape_until([](const std::string& b) { return has(b, "node_ipmi_status{"); });
  auto expected = as_collected(read_fixture("ipmi/ipmi_sim_sensor_ipmitool_script.prom"), "ipmi");
  ASSERT_EQ(expected.size(), 10u);
  // States 0xa and 0x10, which the script misreads as 0 and 10 (README "The ipmi plugin").
  expected["node_ipmi_status{collector=\"ipmi\",sensor=\"Drive 1 Status\"}"] = 10;
  expected["node_ipmi_status{collector=\"ipmi\",sensor=\"Drive 2 Status\"}"] = 16;
  for (const auto& [series, value] : expected) EXPECT_EQ(value_of(body, series), value) << series << "\n" << body;
  EXPECT_THAT(body, Not(HasSubstr("FAN2")));
  const auto verdict = promtool_check_metrics(body);
  EXPECT_TRUE(verdict.valid) << verdict.output;
}

TEST_F(CatalogTest, IpmiWithoutABmcFailsWithIpmitoolsWords) {
  // The real ipmitool of Debian 12 on this machine, which has no BMC.
  if (trimmed_shell_output("command -v ipmitool >/dev/null && echo yes") != "yes") {
    GTEST_SKIP() << "needs ipmitool (.ci/install-deps)";
  }
  start("collectors:\n  - name: ipmi\n    plugin: ipmi\n    interval: 1s\n");
  const auto body = scrape_until([](const std::string& b) {
    const auto failures = value_of(b, "gleaner_collector_failures_total{collector=\"ipmi\",reason=\"exit_code\"}");
    return failures && *failures >= 1;
  });
  EXPECT_EQ(value_of(body, "gleaner_collector_up{collector=\"ipmi\"}"), 0);
  EXPECT_THAT(body, Not(HasSubstr("node_ipmi_")));
  ASSERT_TRUE(eventually([&] { return has(daemon_->log(), "Could not open device at /dev/ipmi0"); })) << daemon_->log();
}

TEST_F(CatalogTest, NvmeAndIpmiOptionsAreChecked) {
  const auto result = run_gleaner(
      {"--config",
       write_config("collectors:\n  - name: nvme\n    plugin: nvme\n    options: {nvme: sbin/nvme, devices: all}\n"
                    "  - name: ipmi\n    plugin: ipmi\n    options: {ipmitool: -v}\n"),
       "--check-config"});
  EXPECT_EQ(result.exit_code, 2);
  EXPECT_THAT(result.err, HasSubstr("gleaner.yaml:4:21: options.nvme: expected a program name or an absolute path"));
  EXPECT_THAT(result.err, HasSubstr("gleaner.yaml:4:32: unknown key \"devices\" in options"));
  EXPECT_THAT(result.err, HasSubstr("gleaner.yaml:7:25: options.ipmitool: expected a program name or an absolute path"));
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
                              "smartmon.yaml.disabled", "nvme.yaml.disabled", "ipmi.yaml.disabled"}) {
    const auto check = run_gleaner(
        {"--config", std::string(GLEANER_SOURCE_DIR) + "/etc/examples/conf.d/" + example, "--check-config"});
    EXPECT_EQ(check.exit_code, 0) << example << check.out << check.err;
  }
}

}  // namespace
}  // namespace gleaner::testing
