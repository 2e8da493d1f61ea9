// The df plugin's filters (README "The df plugin"): local_only,
// include_fs_types, exclude_fs_types and exclude_mountpoints, each run by
// the real binary (`gleaner --once`) over this machine's real df, and what
// it exposes compared with what df itself reports given the same flags.
// Machines differ (a CI chroot may show only /dev and a few mounts), so the
// types and mount points are taken from df here, never assumed.

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <algorithm>
#include <cctype>
#include <cstdlib>
#include <filesystem>
#include <map>
#include <set>
#include <string>
#include <utility>
#include <vector>

#include "tests/support/daemon_fixture.h"
#include "tests/support/daemon_process.h"
#include "tests/support/df_reference.h"
#include "tests/support/exposition_reader.h"
#include "tests/support/promtool.h"

namespace gleaner::testing {
namespace {

using ::testing::HasSubstr;

// A filesystem as both sides name it: mount point and type.
using Filesystem = std::pair<std::string, std::string>;

const std::vector<std::string> kFilesystemFamilies = {"filesystem_size_bytes", "filesystem_used_bytes",
                                                      "filesystem_avail_bytes", "filesystem_files",
                                                      "filesystem_files_free"};

// Every series of the df plugin's families in the exposition.
std::vector<ExposedSample> filesystem_series(const ExposedText& text) {
  std::vector<ExposedSample> out;
  for (const auto& family : kFilesystemFamilies) {
    for (auto& sample : text.named(family)) out.push_back(std::move(sample));
  }
  return out;
}

// The filesystems gleaner exposes (one size series each).
std::set<Filesystem> exposed_filesystems(const ExposedText& text) {
  std::set<Filesystem> out;
  for (const auto& sample : text.with_label("filesystem_size_bytes", "collector", "disk")) {
    out.emplace(sample.label("mountpoint").value_or(""), sample.label("fstype").value_or(""));
  }
  return out;
}

std::set<Filesystem> filesystems_of(const std::vector<DfLine>& lines) {
  std::set<Filesystem> out;
  for (const auto& line : lines) out.emplace(line.mountpoint, line.fstype);
  return out;
}

// Each type df reports, with how many filesystems have it.
std::map<std::string, int> type_counts(const std::vector<DfLine>& lines) {
  std::map<std::string, int> counts;
  for (const auto& line : lines) ++counts[line.fstype];
  return counts;
}

// A filesystem type as one shell word.
std::string quoted(const std::string& word) { return "'" + word + "'"; }

// The text as an RE2 regex matching it literally: every ASCII character
// other than a letter, digit or underscore behind a backslash (RE2 takes any
// escaped punctuation, a space too, as itself; bytes of UTF-8 stand as they are).
std::string re2_literal(const std::string& text) {
  std::string out;
  for (const char c : text) {
    const auto byte = static_cast<unsigned char>(c);
    if (byte < 0x80 && !std::isalnum(byte) && c != '_') out += '\\';
    out += c;
  }
  return out;
}

// The text as a YAML single-quoted scalar (backslashes are plain there).
std::string yaml_single_quoted(const std::string& text) {
  std::string out = "'";
  for (const char c : text) {
    out += c;
    if (c == '\'') out += '\'';
  }
  return out + "'";
}

std::string describe(const std::set<Filesystem>& filesystems) {
  std::string out;
  for (const auto& [mountpoint, fstype] : filesystems) out += "  " + mountpoint + " (" + fstype + ")\n";
  return out.empty() ? "  (none)\n" : out;
}

class DfFiltersTest : public DaemonFixture {
 protected:
  // `gleaner --once --collector disk` with a df collector of these options
  // (a YAML flow mapping); its exposition, after checking that the run
  // succeeded.
  ExposedText run_disk(const std::string& options) {
    const auto config = write_config("collectors:\n  - {name: disk, plugin: df, options: " + options + "}\n");
    const auto run = run_gleaner({"--config", config, "--once", "--collector", "disk"}, kPatience);
    EXPECT_FALSE(run.timed_out);
    EXPECT_EQ(run.exit_code, 0) << "options " << options << ":\n" << run.err << run.out;
    last_output_ = run.out;
    auto text = read_exposition(run.out);
    EXPECT_THAT(text.unreadable, ::testing::IsEmpty());
    return text;
  }

  std::string last_output_;
};

TEST_F(DfFiltersTest, IncludeFsTypesReportsThatTypeOnlyAndEveryFilesystemOfIt) {
  const auto local = df_typed_reference("-l");
  ASSERT_FALSE(local.empty()) << "df -l reports no filesystem here";
  // The rarest type, so that most of what df reports must be left out.
  const auto counts = type_counts(local);
  const auto rarest = std::min_element(counts.begin(), counts.end(),
                                       [](const auto& a, const auto& b) { return a.second < b.second; });
  const std::string type = rarest->first;

  const auto text = run_disk("{include_fs_types: [" + yaml_single_quoted(type) + "]}");
  const auto series = filesystem_series(text);
  ASSERT_FALSE(series.empty()) << last_output_;
  for (const auto& sample : series) EXPECT_EQ(sample.label("fstype"), type) << sample.line;

  const auto expected = filesystems_of(df_typed_reference("-l -t " + quoted(type)));
  EXPECT_EQ(exposed_filesystems(text), expected)
      << "type " << type << ", df -l -t reports:\n" << describe(expected) << last_output_;
}

TEST_F(DfFiltersTest, ExcludeFsTypesLeavesThatTypeOutAndReportsTheRest) {
  const auto local = df_typed_reference("-l");
  const auto counts = type_counts(local);
  if (counts.size() < 2) {
    GTEST_SKIP() << "df -l reports " << counts.size()
                 << " filesystem type(s) here: leaving one out would leave nothing to compare";
  }
  // The commonest type, so that the most must be left out.
  const auto commonest = std::max_element(counts.begin(), counts.end(),
                                          [](const auto& a, const auto& b) { return a.second < b.second; });
  const std::string type = commonest->first;

  const auto text = run_disk("{exclude_fs_types: [" + yaml_single_quoted(type) + "]}");
  for (const auto& sample : filesystem_series(text)) EXPECT_NE(sample.label("fstype"), type) << sample.line;

  const auto expected = filesystems_of(df_typed_reference("-l -x " + quoted(type)));
  ASSERT_FALSE(expected.empty());
  EXPECT_EQ(exposed_filesystems(text), expected)
      << "type " << type << ", df -l -x reports:\n" << describe(expected) << last_output_;
}

TEST_F(DfFiltersTest, ExcludeMountpointsMatchesAnywhereInTheMountPoint) {
  const auto local = df_typed_reference("-l");
  // A piece from inside one mount point, neither its first nor its last
  // character: a regex anchored at either end, or matched whole, would not
  // match it. One that no other mount point holds if there is one.
  std::string chosen, piece;
  for (const auto& line : local) {
    if (line.mountpoint.size() < 3) continue;
    const auto inner = line.mountpoint.substr(1, line.mountpoint.size() - 2);
    const auto holders = std::count_if(local.begin(), local.end(), [&](const DfLine& other) {
      return other.mountpoint.find(inner) != std::string::npos;
    });
    if (chosen.empty() || holders == 1) {
      chosen = line.mountpoint;
      piece = inner;
    }
    if (holders == 1) break;
  }
  if (chosen.empty()) GTEST_SKIP() << "df -l reports no mount point of three characters or more here";

  const auto text = run_disk("{exclude_mountpoints: " + yaml_single_quoted(re2_literal(piece)) + "}");
  std::set<Filesystem> expected;
  for (const auto& line : local) {
    if (line.mountpoint.find(piece) == std::string::npos) expected.emplace(line.mountpoint, line.fstype);
  }
  const auto exposed = exposed_filesystems(text);
  for (const auto& sample : filesystem_series(text)) EXPECT_NE(sample.label("mountpoint"), chosen) << sample.line;
  EXPECT_EQ(exposed, expected) << "left out: \"" << piece << "\" (of " << chosen << ")\n" << last_output_;
}

TEST_F(DfFiltersTest, LocalOnlyFalseReportsWhatDfReportsWithoutDashL) {
  // On many machines both are the same set; they are still what df says.
  const auto everything = run_disk("{local_only: false}");
  const auto all_expected = filesystems_of(df_typed_reference());
  ASSERT_FALSE(all_expected.empty()) << "df reports no filesystem here";
  EXPECT_EQ(exposed_filesystems(everything), all_expected)
      << "df reports:\n" << describe(all_expected) << last_output_;

  const auto local = run_disk("{}");
  const auto local_expected = filesystems_of(df_typed_reference("-l"));
  EXPECT_EQ(exposed_filesystems(local), local_expected)
      << "df -l reports:\n" << describe(local_expected) << last_output_;
  EXPECT_THAT(last_output_, HasSubstr("gleaner_collector_up{collector=\"disk\"} 1"));
  const auto verdict = promtool_check_metrics(last_output_);
  EXPECT_TRUE(verdict.clean) << verdict.output << last_output_;
}

// df -l leaves out what it takes for a network filesystem, such as one
// whose device is named host:path. In a mount namespace of its own (as
// root) the test mounts a tmpfs by such a name, so that the two settings of
// local_only must differ here, and runs gleaner and df beside it.
TEST_F(DfFiltersTest, LocalOnlyLeavesOutAFilesystemDfTakesForRemote) {
  if (std::system("unshare -m true 2>/dev/null") != 0) GTEST_SKIP() << "no mount namespace here (needs root)";
  const auto remote = dir_ + "/remote";
  std::filesystem::create_directory(remote);
  const auto all_config =
      write("all.yaml", "collectors:\n  - {name: disk, plugin: df, options: {local_only: false}}\n");
  const auto local_config = write("local.yaml", "collectors:\n  - {name: disk, plugin: df}\n");
  // gleaner --once with one configuration, into NAME.out and NAME.err; prints "NAME status".
  const auto once = [&](const std::string& name, const std::string& config) {
    return std::string(GLEANER_BINARY) + " --config " + config + " --once > " + dir_ + "/" + name + ".out 2> " +
           dir_ + "/" + name + ".err; echo " + name + " $?; ";
  };
  const auto script = "mount -t tmpfs gleaner-test:/remote " + remote + " || exit; echo mounted; " +
                      once("all", all_config) + once("local", local_config) +
                      "LC_ALL=C df -P -T -B1 > " + dir_ + "/df-all 2>/dev/null; " +
                      "LC_ALL=C df -P -T -B1 -l > " + dir_ + "/df-local 2>/dev/null";
  const auto statuses = shell_output("unshare -m sh -c '" + script + "' 2>&1");
  if (statuses.rfind("mounted\n", 0) != 0) {
    GTEST_SKIP() << "cannot mount a tmpfs in a mount namespace here: " << statuses;
  }
  ASSERT_EQ(statuses, "mounted\nall 0\nlocal 0\n") << read_file(dir_ + "/all.err") << read_file(dir_ + "/local.err");

  // What df itself made of it; gleaner is not at fault if df does not
  // take the name for a network filesystem's.
  const auto all_df = filesystems_of(read_df_lines(read_file(dir_ + "/df-all"), true));
  const auto local_df = filesystems_of(read_df_lines(read_file(dir_ + "/df-local"), true));
  const Filesystem remote_tmpfs{std::filesystem::canonical(remote).string(), "tmpfs"};
  if (!all_df.contains(remote_tmpfs) || local_df.contains(remote_tmpfs)) {
    GTEST_SKIP() << "df here does not list a tmpfs named host:path without -l only; df:\n"
                 << describe(all_df) << "df -l:\n" << describe(local_df);
  }

  const auto all_out = read_file(dir_ + "/all.out");
  const auto local_out = read_file(dir_ + "/local.out");
  EXPECT_EQ(exposed_filesystems(read_exposition(all_out)), all_df) << all_out;
  EXPECT_EQ(exposed_filesystems(read_exposition(local_out)), local_df) << local_out;
}

// df exits 1 when it could not read some filesystem yet reports the others;
// the run succeeds with what it reported (README "The df plugin"). Without
// file arguments df passes over a mount point it may not read or that is
// gone (EACCES, ENOENT) in silence, status 0; status 1 takes another error,
// such as a FUSE filesystem whose server is gone ("Transport endpoint is not
// connected"). The test makes one in a mount namespace of its own, as root:
// /dev/fuse opened, mounted, closed again without ever answering.
TEST_F(DfFiltersTest, AFilesystemDfCannotReadIsLeftOutAndTheRunSucceeds) {
  if (std::system("unshare -m true 2>/dev/null") != 0) GTEST_SKIP() << "no mount namespace here (needs root)";
  if (!std::filesystem::exists("/dev/fuse")) GTEST_SKIP() << "no /dev/fuse here";
  const auto dead = dir_ + "/dead";
  std::filesystem::create_directory(dead);
  const auto config = write_config("collectors:\n  - {name: disk, plugin: df}\n");
  const auto script =
      "sh -c \"exec 3<>/dev/fuse && mount -i -t fuse -o fd=3,rootmode=40000,user_id=0,group_id=0 gleaner-test-dead " +
      dead + "\" || exit; echo mounted; " + std::string(GLEANER_BINARY) + " --config " + config + " --once > " + dir_ +
      "/gleaner.out 2> " + dir_ + "/gleaner.err; echo gleaner $?; " + "LC_ALL=C df -P -T -B1 -l > " + dir_ +
      "/df.out 2> " + dir_ + "/df.err; echo df $?";
  const auto statuses = shell_output("unshare -m sh -c '" + script + "' 2>&1");
  if (statuses.rfind("mounted\n", 0) != 0) {
    GTEST_SKIP() << "cannot mount a FUSE filesystem in a mount namespace here: " << statuses;
  }
  const auto df_err = read_file(dir_ + "/df.err");
  if (statuses.find("df 1\n") == std::string::npos) {
    GTEST_SKIP() << "df here does not fail on a FUSE filesystem without its server: " << statuses << df_err;
  }
  ASSERT_THAT(df_err, HasSubstr("Transport endpoint is not connected"));
  const auto df_filesystems = filesystems_of(read_df_lines(read_file(dir_ + "/df.out"), true));
  ASSERT_FALSE(df_filesystems.empty()) << df_err;

  const auto out = read_file(dir_ + "/gleaner.out");
  EXPECT_EQ(statuses, "mounted\ngleaner 0\ndf 1\n") << read_file(dir_ + "/gleaner.err");
  const auto text = read_exposition(out);
  EXPECT_EQ(exposed_filesystems(text), df_filesystems) << out;
  EXPECT_THAT(out, HasSubstr("gleaner_collector_up{collector=\"disk\"} 1\n"));
  for (const auto& sample : text.with_label("gleaner_collector_failures_total", "collector", "disk")) {
    EXPECT_EQ(sample.number(), 0) << sample.line;
  }
}

// df refuses a type both selected and excluded: status 1, no filesystem and
// its own message rather than "no file systems processed". That is a failed
// run (README "The df plugin"), with df's words in the log.
TEST_F(DfFiltersTest, ATypeBothIncludedAndExcludedFailsWithDfsReason) {
  ASSERT_THAT(shell_output("LC_ALL=C df -P -T -B1 -l -t ext4 -x ext4 2>&1; echo status $?"),
              HasSubstr("both selected and excluded\nstatus 1"));
  const auto config =
      write_config("collectors:\n  - {name: disk, plugin: df, options: {include_fs_types: [ext4], "
                   "exclude_fs_types: [ext4]}}\n");
  const auto run = run_gleaner({"--config", config, "--once", "--collector", "disk"}, kPatience);
  EXPECT_EQ(run.exit_code, 1) << run.err;
  const auto text = read_exposition(run.out);
  EXPECT_THAT(filesystem_series(text), ::testing::IsEmpty());
  EXPECT_THAT(run.out, HasSubstr("gleaner_collector_up{collector=\"disk\"} 0\n"));
  EXPECT_THAT(run.out, HasSubstr("gleaner_collector_failures_total{collector=\"disk\",reason=\"exit_code\"} 1\n"));
  EXPECT_THAT(run.err, HasSubstr("collector disk failed (exit_code): df -P -T -B1 -l -text4 -xext4: exit code 1"));
  EXPECT_THAT(run.err, HasSubstr("both selected and excluded"));
}

TEST_F(DfFiltersTest, ATypeNoFilesystemHasGivesNoSeriesAndNoFailure) {
  const std::string type = "gleanernosuchfs";
  ASSERT_TRUE(df_typed_reference("-t " + type).empty());
  // df itself ends with status 1 and "no file systems processed" here.
  ASSERT_THAT(shell_output("LC_ALL=C df -P -T -B1 -l -t " + type + " 2>&1; echo status $?"),
              HasSubstr("no file systems processed\nstatus 1"));

  const auto text = run_disk("{include_fs_types: [" + type + "]}");
  EXPECT_THAT(filesystem_series(text), ::testing::IsEmpty());
  EXPECT_THAT(last_output_, HasSubstr("gleaner_collector_up{collector=\"disk\"} 1\n"));
  const auto failures = text.with_label("gleaner_collector_failures_total", "collector", "disk");
  EXPECT_EQ(failures.size(), 7u) << last_output_;  // every reason, always present
  for (const auto& sample : failures) EXPECT_EQ(sample.number(), 0) << sample.line;
}

}  // namespace
}  // namespace gleaner::testing
