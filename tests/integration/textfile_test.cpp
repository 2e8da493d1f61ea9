// The textfile plugin through the real binary: a directory of good and bad
// files (malformed, a FIFO, a link to /dev/zero, a directory named x.prom,
// timestamps, too large, too old), scraped over HTTP and judged by
// promtool; the good files' series published, each bad file flagged and
// logged, the daemon unharmed.

#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <sys/stat.h>
#include <utime.h>

#include <filesystem>
#include <fstream>

#include "tests/support/daemon_fixture.h"
#include "tests/support/promtool.h"

namespace gleaner::testing {
namespace {

using ::testing::HasSubstr;
using ::testing::IsEmpty;
using ::testing::Not;

class TextfileTest : public DaemonFixture {
 protected:
  void SetUp() override {
    DaemonFixture::SetUp();
    textfiles_ = dir_ + "/textfiles";
    std::filesystem::create_directory(textfiles_);
  }
  void put(const std::string& name, const std::string& text) {
    std::ofstream(textfiles_ + "/" + name, std::ios::binary) << text;
  }
  std::string config(const std::string& options = "") const {
    return "collectors:\n  - name: textfile\n    plugin: textfile\n    interval: 1s\n    options: {directory: " +
           textfiles_ + options + "}\n";
  }
  static std::string error_flag(const std::string& file) {
    return "textfile_scrape_error{collector=\"textfile\",file=\"" + file + "\"}";
  }

  std::string textfiles_;
};

TEST_F(TextfileTest, GoodFilesArePublishedAndEachBadOneIsFlagged) {
  put("apt.prom",
      "# HELP apt_upgrades_pending Pending.\n# TYPE apt_upgrades_pending gauge\n"
      "apt_upgrades_pending{arch=\"amd64\",origin=\"Debian\"} 5\n");
  put("backup.prom", "# TYPE backup_runs_total counter\nbackup_runs_total{result=\"ok\"} 412\n");
  put("broken.prom", "broken_ok 1\nbroken_bad{unterminated=\"1} 3\n");
  put("stamped.prom", "stamped_value 1 1732160001000\n");
  put("old.prom", "old_value 1\n");
  const auto two_hours_ago = std::chrono::system_clock::to_time_t(std::chrono::system_clock::now()) - 7200;
  const struct utimbuf times { two_hours_ago, two_hours_ago };
  ASSERT_EQ(::utime((textfiles_ + "/old.prom").c_str(), &times), 0);
  put("huge.prom", std::string(200 * 1024, '#') + "\n");
  ASSERT_EQ(::mkfifo((textfiles_ + "/fifo.prom").c_str(), 0600), 0);
  std::filesystem::create_symlink("/dev/zero", textfiles_ + "/zero.prom");
  std::filesystem::create_directory(textfiles_ + "/dir.prom");
  put("notes.txt", "not_read 1\n");

  start(config(", max_age: 1h, max_file_size: 64KiB"));
  const auto body = scrape_until([](const std::string& b) { return has(b, error_flag("zero.prom")); });

  EXPECT_EQ(value_of(body, "gleaner_collector_up{collector=\"textfile\"}"), 1);
  EXPECT_THAT(body, HasSubstr("apt_upgrades_pending{collector=\"textfile\",arch=\"amd64\",origin=\"Debian\"} 5\n"));
  EXPECT_THAT(body, HasSubstr("backup_runs_total{collector=\"textfile\",result=\"ok\"} 412\n"));
  for (const char* good : {"apt.prom", "backup.prom"}) {
    EXPECT_EQ(value_of(body, error_flag(good)), 0) << good;
    EXPECT_TRUE(value_of(body, "textfile_mtime_seconds{collector=\"textfile\",file=\"" + std::string(good) + "\"}"))
        << good;
  }
  for (const char* bad :
       {"broken.prom", "stamped.prom", "old.prom", "huge.prom", "fifo.prom", "zero.prom", "dir.prom"}) {
    EXPECT_EQ(value_of(body, error_flag(bad)), 1) << bad;
  }
  // Nothing of a bad file, not even its good lines; nothing but *.prom.
  for (const char* absent : {"broken_ok", "stamped_value", "old_value", "not_read"}) {
    EXPECT_THAT(body, Not(HasSubstr(absent))) << absent;
  }
  // A failed file has no mtime (it must not look fresh); an old one shows its age.
  EXPECT_FALSE(value_of(body, "textfile_mtime_seconds{collector=\"textfile\",file=\"broken.prom\"}"));
  EXPECT_EQ(value_of(body, "textfile_mtime_seconds{collector=\"textfile\",file=\"old.prom\"}"),
            static_cast<double>(two_hours_ago));

  const auto verdict = promtool_check_metrics(body);
  EXPECT_TRUE(verdict.valid) << verdict.output;
  EXPECT_THAT(lint_beyond_command_names(verdict), IsEmpty()) << verdict.output;

  // One log line per bad file, naming it and, for a malformed one, the line.
  const auto log = daemon_->log();
  EXPECT_THAT(log, HasSubstr("textfile " + textfiles_ + "/broken.prom left out: line 2: "));
  EXPECT_THAT(log, HasSubstr("/stamped.prom left out: line 1: client-side timestamps are not supported"));
  EXPECT_THAT(log, HasSubstr("/old.prom left out: last written at "));
  EXPECT_THAT(log, HasSubstr("/huge.prom left out: "));
  EXPECT_THAT(log, HasSubstr("/fifo.prom left out: "));
  EXPECT_THAT(log, HasSubstr("(which leads to /dev/zero) is a character device, not a regular file"));
  EXPECT_THAT(log, HasSubstr("/dir.prom left out: "));
  // Later runs (every second) do not repeat them.
  scrape_until([](const std::string& b) {
    return value_of(b, "gleaner_collector_runs_total{collector=\"textfile\"}").value_or(0) >= 3;
  });
  const auto later = daemon_->log();
  for (const std::string_view line : {"/broken.prom left out", "/old.prom left out", "/fifo.prom left out"}) {
    std::size_t lines = 0;
    for (auto at = later.find(line); at != std::string::npos; at = later.find(line, at + 1)) ++lines;
    EXPECT_EQ(lines, 1u) << line << "\n" << later;
  }
}

TEST_F(TextfileTest, AFileRepairedIsPublishedAgain) {
  put("job.prom", "job_value{x=\"1\"} 1\njob_value{x=\"1\"} 2\n");  // a duplicate series
  start(config());
  scrape_until([](const std::string& b) { return value_of(b, error_flag("job.prom")) == 1.0; });
  EXPECT_THAT(daemon_->log(), HasSubstr("/job.prom left out: line 2: duplicate series"));
  put("job.prom.tmp", "job_value{x=\"1\"} 3\n");
  std::filesystem::rename(textfiles_ + "/job.prom.tmp", textfiles_ + "/job.prom");
  const auto body = scrape_until([](const std::string& b) { return value_of(b, error_flag("job.prom")) == 0.0; });
  EXPECT_THAT(body, HasSubstr("job_value{collector=\"textfile\",x=\"1\"} 3\n"));
  EXPECT_TRUE(eventually([&] { return has(daemon_->log(), "/job.prom is published again"); }));
}

TEST_F(TextfileTest, AMissingDirectoryFailsTheRunAndNothingElse) {
  const auto missing = textfiles_ + "/absent";
  start("collectors:\n  - {name: textfile, plugin: textfile, interval: 1s, options: {directory: " + missing +
        "}}\n  - {name: other, plugin: exec, interval: 1s, command: [echo, other_value 1]}\n");
  const auto body = scrape_until([](const std::string& b) {
    return value_of(b, "gleaner_collector_failures_total{collector=\"textfile\",reason=\"spawn\"}").value_or(0) >= 1 &&
           has(b, "other_value{collector=\"other\"} 1");
  });
  EXPECT_EQ(value_of(body, "gleaner_collector_up{collector=\"textfile\"}"), 0);
  EXPECT_TRUE(
      eventually([&] { return has(daemon_->log(), "cannot list " + missing + ": No such file or directory"); }));
  // Created later, it is read.
  std::filesystem::create_directory(missing);
  std::ofstream(missing + "/late.prom") << "late_value 1\n";
  scrape_until([](const std::string& b) { return has(b, "late_value{collector=\"textfile\"} 1"); });
}

TEST_F(TextfileTest, TheShippedExampleIsValid) {
  const auto check = run_gleaner(
      {"--config", std::string(GLEANER_SOURCE_DIR) + "/etc/examples/conf.d/textfile.yaml.disabled", "--check-config"});
  EXPECT_EQ(check.exit_code, 0) << check.out << check.err;
}

}  // namespace
}  // namespace gleaner::testing
