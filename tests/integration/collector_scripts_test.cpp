// The scripts of Debian 12's prometheus-node-exporter-collectors run by the
// exec plugin, as the examples etc/examples/conf.d/script-*.yaml.disabled run
// them (README "Scripts of prometheus-node-exporter-collectors"): every
// example passes --check-config; those whose script can run on this host
// (the package's scripts and lvm from .ci/install-deps) run through the real
// binary with `--once --collector NAME`, their series checked against what
// the test set up or what the host says; and a daemon running them all is
// scraped and judged by promtool.
//
// Not run here, check-config only: multipathd_info (a running multipathd),
// ntpd_metrics.py (a running ntpd), storcli.py and tw_cli.py (Broadcom's and
// 3ware's tools and controllers), mellanox_hca_temp (mget_temp_ext and an
// InfiniBand HCA), md_info.sh and md_info_detail.sh (md arrays under
// /dev/md/, and mdadm).

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <sys/inotify.h>
#include <unistd.h>

#include <chrono>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <set>
#include <sstream>
#include <string>
#include <vector>

#include "tests/support/daemon_fixture.h"
#include "tests/support/exposition_values.h"
#include "tests/support/promtool.h"
#include "tests/support/shell_output.h"

namespace gleaner::testing {
namespace {

using namespace std::chrono_literals;
using ::testing::HasSubstr;

constexpr auto kPatience = 120s;
const std::string kScripts = "/usr/share/prometheus-node-exporter-collectors";
const std::string kExamples = std::string(GLEANER_SOURCE_DIR) + "/etc/examples/conf.d/";

struct Example {
  std::string file;       // in etc/examples/conf.d/
  std::string collector;  // the collector it defines
  std::string script;     // in kScripts
  bool runs_here;         // can run on this host (as root)
};

const std::vector<Example> kAll = {
    {"script-deleted-libraries.yaml.disabled", "deleted_libraries", "deleted_libraries.py", true},
    {"script-inotify-instances.yaml.disabled", "inotify_instances", "inotify-instances", true},
    {"script-lvm.yaml.disabled", "lvm", "lvm-prom-collector", true},
    {"script-btrfs.yaml.disabled", "btrfs", "btrfs_stats.py", true},
    {"script-directory-size.yaml.disabled", "directory_size", "directory-size.sh", true},
    {"script-fstab-check.yaml.disabled", "fstab_check", "fstab-check.sh", true},
    {"script-multipathd.yaml.disabled", "multipathd", "multipathd_info", false},
    {"script-ntpd.yaml.disabled", "ntpd", "ntpd_metrics.py", false},
    {"script-storcli.yaml.disabled", "storcli", "storcli.py", false},
    {"script-tw-cli.yaml.disabled", "tw_cli", "tw_cli.py", false},
    {"script-mellanox-hca-temp.yaml.disabled", "mellanox_hca_temp", "mellanox_hca_temp", false},
    {"script-md-info.yaml.disabled", "md_info", "md_info.sh", false},
    {"script-md-info-detail.yaml.disabled", "md_info_detail", "md_info_detail.sh", false},
};

std::vector<std::string> lines_of(const std::string& text) {
  std::vector<std::string> lines;
  std::istringstream in(text);
  for (std::string line; std::getline(in, line);) {
    if (!line.empty()) lines.push_back(line);
  }
  return lines;
}

// The sample lines of one metric that hold every one of these label pairs
// (`name="value"`), in whatever order gleaner prints the labels.
std::vector<std::string> samples(const std::string& exposition, const std::string& metric,
                                 const std::vector<std::string>& pairs = {}) {
  std::vector<std::string> found;
  for (const auto& line : lines_of(exposition)) {
    if (!line.starts_with(metric + "{") && !line.starts_with(metric + " ")) continue;
    bool all = true;
    for (const auto& pair : pairs) all = all && line.find(pair) != std::string::npos;
    if (all) found.push_back(line);
  }
  return found;
}

double value_in(const std::string& sample_line) { return std::stod(sample_line.substr(sample_line.rfind(' ') + 1)); }

bool scripts_installed() { return std::filesystem::exists(kScripts + "/deleted_libraries.py"); }

class CollectorScriptsTest : public DaemonFixture {
 protected:
  void SetUp() override {
    DaemonFixture::SetUp();
    ASSERT_TRUE(scripts_installed()) << kScripts << " is missing: run .ci/install-deps";
  }

  // `gleaner --once --collector NAME --verbose` on the example itself.
  CommandOutput once(const std::string& collector) {
    for (const auto& example : kAll) {
      if (example.collector == collector) {
        return run_gleaner({"--config", kExamples + example.file, "--once", "--collector", collector, "--verbose"},
                           kPatience);
      }
    }
    ADD_FAILURE() << "no example defines " << collector;
    return {};
  }
};

#define SKIP_UNLESS_ROOT(why) \
  if (::geteuid() != 0) GTEST_SKIP() << "needs root: " << why

TEST(CollectorScriptExamples, EveryExampleIsListedInThisTest) {
  std::set<std::string> shipped;
  for (const auto& entry : std::filesystem::directory_iterator(kExamples)) {
    const auto name = entry.path().filename().string();
    if (name.starts_with("script-")) shipped.insert(name);
  }
  std::set<std::string> listed;
  for (const auto& example : kAll) listed.insert(example.file);
  EXPECT_EQ(shipped, listed);
}

// Each example runs its script from the package's folder, through the
// prometheus parser, with an interval and a timeout of its own.
TEST(CollectorScriptExamples, EveryExamplePassesCheckConfig) {
  for (const auto& example : kAll) {
    const auto path = kExamples + example.file;
    const auto text = read_file(path);
    EXPECT_THAT(text, HasSubstr("command: [" + kScripts + "/" + example.script)) << example.file;
    EXPECT_THAT(text, HasSubstr("    parser: {type: prometheus}\n")) << example.file;
    EXPECT_THAT(text, HasSubstr("    interval: ")) << example.file;
    EXPECT_THAT(text, HasSubstr("    timeout: ")) << example.file;
    EXPECT_THAT(text, HasSubstr("  - name: " + example.collector + "\n")) << example.file;
    const auto check = run_gleaner({"--config", path, "--check-config"}, kPatience);
    EXPECT_EQ(check.exit_code, 0) << example.file << "\n" << check.out << check.err;
  }
}

// --strict refuses a program that is not there: the scripts that run here
// are where the examples look for them.
TEST_F(CollectorScriptsTest, TheRunnableExamplesFindTheirScripts) {
  for (const auto& example : kAll) {
    if (!example.runs_here) continue;
    const auto check = run_gleaner({"--config", kExamples + example.file, "--check-config", "--strict"}, kPatience);
    EXPECT_EQ(check.exit_code, 0) << example.file << "\n" << check.out << check.err;
  }
}

// A file under a folder named lib/, mapped by a process and then deleted:
// what a process still running an upgraded library looks like. The script
// exits 1 on the first /proc/PID/maps it may not read, and this test host's
// PID 1 is one (not dumpable: even root may not read it), which a real
// host's init is not; so gleaner runs here in a PID namespace of its own
// (`unshare --pid --mount-proc`), whose processes are the mapping one, a
// shell and gleaner's.
TEST_F(CollectorScriptsTest, DeletedLibrariesCountsAProcessMappingADeletedLibrary) {
  SKIP_UNLESS_ROOT("deleted_libraries.py reads every process's /proc/PID/maps");
  std::filesystem::create_directory(dir_ + "/lib");
  const auto library = write("lib/libgleaner-upgraded.so.1", std::string(8192, 'x'));
  const auto mapper = write("map_and_delete.py",
                            "import mmap, os, sys, time\n"
                            "with open(sys.argv[1], 'rb') as f:\n"
                            "    mapped = mmap.mmap(f.fileno(), 0, prot=mmap.PROT_READ)\n"
                            "os.unlink(sys.argv[1])\n"
                            "time.sleep(120)\n");
  const auto example = kExamples + "script-deleted-libraries.yaml.disabled";
  // The mapper deletes the file once it is mapped: wait for that (20 s at most).
  const auto inner = "python3 " + mapper + " " + library + " & i=0; while [ -e " + library +
                     " ] && [ $i -lt 400 ]; do sleep 0.05; i=$((i+1)); done; " + GLEANER_BINARY + " --config " +
                     example + " --once --collector deleted_libraries --verbose >" + dir_ + "/out 2>" + dir_ +
                     "/err; echo $? >" + dir_ + "/status; kill $!";
  // Where PID 1's maps can be read (a real host), the script runs as it is;
  // where not, in a PID namespace of its own, which needs / to be a mount
  // point (not so in a chroot: unshare cannot make it private there).
  std::ifstream init_maps("/proc/1/maps");
  std::string first_line;
  const bool init_readable = static_cast<bool>(std::getline(init_maps, first_line));
  if (!init_readable && std::system("unshare --pid --fork --mount-proc true 2>/dev/null") != 0) {
    GTEST_SKIP() << "PID 1's /proc/1/maps cannot be read here and no PID namespace can be made "
                    "(a chroot?): deleted_libraries.py would stop at PID 1";
  }
  const std::string runner = init_readable ? "sh -c '" : "unshare --pid --fork --mount-proc sh -c '";
  ASSERT_EQ(std::system((runner + inner + "'").c_str()), 0);
  const auto out = read_file(dir_ + "/out");
  const auto err = read_file(dir_ + "/err");
  ASSERT_EQ(read_file(dir_ + "/status"), "0\n") << err;
  EXPECT_THAT(err, HasSubstr("collector deleted_libraries: succeeded"));
  const auto found = samples(out, "node_processes_linking_deleted_libraries",
                             {"library_name=\"libgleaner-upgraded.so.1\"", "library_path=\"" + dir_ + "/lib\"",
                              "collector=\"deleted_libraries\""});
  ASSERT_EQ(found.size(), 1u) << out << err;
  EXPECT_EQ(value_in(found[0]), 1) << found[0];
  EXPECT_THAT(out, HasSubstr("# HELP node_processes_linking_deleted_libraries Count of running processes that "
                             "link a deleted library\n"));
}

// This process holds one inotify instance.
TEST_F(CollectorScriptsTest, InotifyInstancesCountsThisProcesssInstance) {
  const int instance = ::inotify_init1(IN_CLOEXEC);
  ASSERT_GE(instance, 0);
  const auto run = once("inotify_instances");
  ::close(instance);
  ASSERT_FALSE(run.timed_out);
  ASSERT_EQ(run.exit_code, 0) << run.err;
  const auto mine = samples(run.out, "inotify_instances",
                            {"pid=\"" + std::to_string(::getpid()) + "\"", "uid=\"" + std::to_string(::geteuid()) + "\"",
                             "command=\"collector_scripts_test\""});
  ASSERT_EQ(mine.size(), 1u) << run.out;
  EXPECT_EQ(value_in(mine[0]), 1);
  EXPECT_THAT(run.out, HasSubstr("# TYPE inotify_instances gauge\n"));
}

// As many series as du prints directories, each a size in bytes.
TEST_F(CollectorScriptsTest, DirectorySizeMeasuresEachDirectoryItNames) {
  const auto run = once("directory_size");
  ASSERT_FALSE(run.timed_out);
  ASSERT_EQ(run.exit_code, 0) << run.err;
  for (const std::string directory : {"/var/log", "/var/cache/apt"}) {
    const auto found = samples(run.out, "node_directory_size_bytes", {"directory=\"" + directory + "\""});
    ASSERT_EQ(found.size(), 1u) << directory << "\n" << run.out;
    // du counts the directory itself: a block at least.
    EXPECT_GE(value_in(found[0]), 4096) << found[0];
  }
}

// One series for each mount point of this host's /etc/fstab, 1 exactly when
// findmnt finds it mounted.
TEST_F(CollectorScriptsTest, FstabCheckReportsEveryMountPointOfFstab) {
  const auto run = once("fstab_check");
  ASSERT_FALSE(run.timed_out);
  ASSERT_EQ(run.exit_code, 0) << run.err;
  const auto mount_points = lines_of(shell_output("awk '$1 !~ /^#/ && $2 ~ /^[/]/ {print $2}' /etc/fstab"));
  EXPECT_EQ(samples(run.out, "node_fstab_mount_status").size(), mount_points.size()) << run.out;
  for (const auto& mount_point : mount_points) {
    const auto found = samples(run.out, "node_fstab_mount_status", {"mountpoint=\"" + mount_point + "\""});
    ASSERT_EQ(found.size(), 1u) << mount_point << "\n" << run.out;
    const bool mounted = std::system(("findmnt '" + mount_point + "' >/dev/null 2>&1").c_str()) == 0;
    EXPECT_EQ(value_in(found[0]), mounted ? 1 : 0) << found[0];
  }
  EXPECT_THAT(run.err, HasSubstr("# TYPE node_fstab_mount_status gauge"));
}

// As many volume groups and physical volumes as lvm itself lists (none on
// a host without LVM: the script then prints its HELP and TYPE lines only).
TEST_F(CollectorScriptsTest, LvmReportsWhatLvmLists) {
  SKIP_UNLESS_ROOT("lvm-prom-collector refuses to run otherwise");
  ASSERT_EQ(std::system("command -v vgs >/dev/null"), 0) << "no lvm tools: run .ci/install-deps";
  const auto run = once("lvm");
  ASSERT_FALSE(run.timed_out);
  ASSERT_EQ(run.exit_code, 0) << run.err;
  const auto groups = lines_of(shell_output("vgs --noheadings -o vg_name 2>/dev/null"));
  const auto volumes = lines_of(shell_output("pvs --noheadings -o pv_name 2>/dev/null"));
  EXPECT_EQ(samples(run.out, "node_volume_group_size").size(), groups.size()) << run.out;
  EXPECT_EQ(samples(run.out, "node_physical_volume_size").size(), volumes.size()) << run.out;
  // The script ran to its end: its last family's TYPE line is in what it printed.
  EXPECT_THAT(run.err, HasSubstr("# TYPE node_volume_group_free gauge"));
  EXPECT_THAT(run.err, HasSubstr("collector lvm: succeeded"));
}

// Allocation series for each block group type of each mounted btrfs; a
// host without btrfs gives none, and the run succeeds.
TEST_F(CollectorScriptsTest, BtrfsReportsEachMountedBtrfs) {
  const auto run = once("btrfs");
  ASSERT_FALSE(run.timed_out);
  ASSERT_EQ(run.exit_code, 0) << run.err;
  const auto filesystems = lines_of(shell_output("ls /sys/fs/btrfs 2>/dev/null | grep -E '^[0-9a-f-]{36}$'"));
  // data, metadata and system for each.
  EXPECT_EQ(samples(run.out, "node_btrfs_allocation_size_bytes").size(), 3 * filesystems.size()) << run.out;
  EXPECT_THAT(run.err, HasSubstr("collector btrfs: succeeded"));
}

// tw_cli.py (which needs 3ware's tool and a controller) prints each series
// as `NAME<tab>VALUE`: the prometheus parser reads the tab as a space, as
// the example's comment says. Its exact form, printed by a shell instead.
TEST_F(CollectorScriptsTest, TwCliOutputSeparatedByTabsIsRead) {
  const auto config = write_config(
      "collectors:\n  - name: tw_cli\n    plugin: exec\n    parser: {type: prometheus}\n"
      "    shell: \"printf 'tw_cli_c0_u0_status{controller=\\\"c0\\\",unit=\\\"u0\\\"}\\t1\\ntw_cli_c0_drive_count\\t4\\n'\"\n");
  const auto run = run_gleaner({"--config", config, "--once", "--verbose"}, kPatience);
  ASSERT_EQ(run.exit_code, 0) << run.err;
  EXPECT_THAT(run.err, HasSubstr("collector tw_cli: succeeded, 2 series parsed\n"));
  EXPECT_EQ(samples(run.out, "tw_cli_c0_u0_status", {"controller=\"c0\"", "unit=\"u0\""}).size(), 1u) << run.out;
  EXPECT_EQ(value_of(run.out, "tw_cli_c0_drive_count{collector=\"tw_cli\"}"), 4) << run.out;
}

// As the shipped unit's user without capabilities, the scripts that need
// root fail their runs, reason exit_code (README "Scripts of
// prometheus-node-exporter-collectors"): here as the user nobody.
TEST_F(CollectorScriptsTest, ScriptsThatNeedRootFailTheirRunsWithoutIt) {
  SKIP_UNLESS_ROOT("to run gleaner as the user nobody");
  for (const std::string collector : {"deleted_libraries", "lvm"}) {
    std::string file;
    for (const auto& example : kAll) {
      if (example.collector == collector) file = kExamples + example.file;
    }
    const auto report = shell_output("runuser -u nobody -- " + std::string(GLEANER_BINARY) + " --config " + file +
                                     " --once --collector " + collector + " --verbose 2>&1; echo \"exit $?\"");
    EXPECT_THAT(report, HasSubstr("collector " + collector + ": failed, reason exit_code")) << report;
    EXPECT_THAT(report, HasSubstr("exit 1\n")) << report;
  }
}

// The daemon running the examples that run here, scraped: each collector
// up, the series of this process there, and promtool accepts the exposition.
TEST_F(CollectorScriptsTest, TheDaemonRunningThemIsScrapedAndPromtoolAgrees) {
  SKIP_UNLESS_ROOT("lvm-prom-collector needs it");
  std::string config = "include:\n";
  std::vector<std::string> collectors;
  for (const auto& example : kAll) {
    // deleted_libraries needs a PID namespace here (above).
    if (!example.runs_here || example.collector == "deleted_libraries") continue;
    config += "  - " + kExamples + example.file + "\n";
    collectors.push_back(example.collector);
  }
  const int instance = ::inotify_init1(IN_CLOEXEC);
  ASSERT_GE(instance, 0);
  start(config);
  const auto pid = "pid=\"" + std::to_string(::getpid()) + "\"";
  const auto body = scrape_until([&](const std::string& exposition) {
    for (const auto& collector : collectors) {
      if (!has_finished_a_run(exposition, collector)) return false;
    }
    return true;
  });
  ::close(instance);
  for (const auto& collector : collectors) {
    EXPECT_EQ(value_or(body, up_series(collector), -1), 1) << collector << "\n" << daemon_->log();
  }
  EXPECT_EQ(samples(body, "inotify_instances", {pid}).size(), 1u) << body;
  EXPECT_EQ(samples(body, "node_directory_size_bytes").size(), 2u) << body;
  const auto verdict = promtool_check_metrics(body);
  EXPECT_TRUE(verdict.valid) << verdict.output;
  EXPECT_THAT(lint_beyond_command_names(verdict), ::testing::IsEmpty()) << verdict.output;
}

}  // namespace
}  // namespace gleaner::testing
