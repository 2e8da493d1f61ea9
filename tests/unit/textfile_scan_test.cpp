// One pass over a real textfile directory: which files are read, what each
// one's trouble costs, and the plugin's own series about them.

#include "plugins/textfile/textfile_scan.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <sys/stat.h>
#include <utime.h>

#include <filesystem>
#include <fstream>

#include "tests/support/scratch_dir.h"

namespace gleaner::plugins::textfile {
namespace {

using ::testing::ElementsAre;
using ::testing::HasSubstr;
using ::testing::IsEmpty;

class TextfileScanTest : public ::testing::Test {
 protected:
  void put(const std::string& name, const std::string& text) {
    std::ofstream(dir_.file(name), std::ios::binary) << text;
  }
  TextfileScan scan(std::optional<std::chrono::milliseconds> max_age = std::nullopt) {
    return scan_textfiles(TextfileOptions{dir_.path().string(), max_age, 1024 * 1024},
                          std::chrono::system_clock::now());
  }
  static const metrics::MetricFamily* family(const TextfileScan& scan, const std::string& name) {
    for (const auto& f : scan.families) {
      if (f.name == name) return &f;
    }
    return nullptr;
  }
  // The value of the plugin's own series for a file, or -1 when it has none.
  static double own(const TextfileScan& scan, const std::string& family_name, const std::string& file) {
    const auto* f = family(scan, family_name);
    if (f == nullptr) return -1;
    for (const auto& sample : f->samples) {
      if (sample.labels == metrics::Labels{{"file", file}}) return sample.value;
    }
    return -1;
  }
  static std::string error_of(const TextfileScan& scan, const std::string& file) {
    for (const auto& report : scan.files) {
      if (report.name == file) return report.error;
    }
    return "(not listed)";
  }

  testing::ScratchDir dir_;
};

TEST_F(TextfileScanTest, ReadsEveryPromFileInNameOrderAndNothingElse) {
  put("b.prom", "b 1\n");
  put("a.prom", "a 1\n");
  put(".hidden.prom", "hidden 1\n");  // node_exporter reads it too
  put("c.prom.tmp", "tmp 1\n");       // a writer's file before its rename
  put("notes.txt", "txt 1\n");
  std::filesystem::create_directory(dir_.file("sub"));
  put("sub/deep.prom", "deep 1\n");
  const auto result = scan();
  ASSERT_THAT(result.directory_error, IsEmpty());
  std::vector<std::string> names;
  for (const auto& report : result.files) names.push_back(report.name);
  EXPECT_THAT(names, ElementsAre(".hidden.prom", "a.prom", "b.prom"));
  EXPECT_NE(family(result, "a"), nullptr);
  EXPECT_NE(family(result, "hidden"), nullptr);
  EXPECT_EQ(family(result, "tmp"), nullptr);
  EXPECT_EQ(family(result, "deep"), nullptr);
  EXPECT_EQ(own(result, kErrorFamily, "a.prom"), 0);
}

TEST_F(TextfileScanTest, OneBadFileCostsItselfAlone) {
  put("good.prom", "# TYPE good gauge\ngood 1\n");
  put("bad.prom", "fine 1\nthis is not a sample\n");
  put("stamped.prom", "stamped 1 1700000000000\n");
  ASSERT_EQ(::mkfifo(dir_.file("fifo.prom").c_str(), 0600), 0);
  std::filesystem::create_symlink("/dev/zero", dir_.file("zero.prom"));
  std::filesystem::create_directory(dir_.file("dir.prom"));
  const auto result = scan();
  EXPECT_THAT(error_of(result, "bad.prom"), HasSubstr("line 2: "));
  EXPECT_EQ(error_of(result, "stamped.prom"), "line 1: client-side timestamps are not supported");
  EXPECT_THAT(error_of(result, "fifo.prom"), HasSubstr("is a FIFO"));
  EXPECT_THAT(error_of(result, "zero.prom"), HasSubstr("is a character device"));
  EXPECT_THAT(error_of(result, "dir.prom"), HasSubstr("is a directory"));
  EXPECT_EQ(error_of(result, "good.prom"), "");
  for (const char* bad : {"bad.prom", "stamped.prom", "fifo.prom", "zero.prom", "dir.prom"}) {
    EXPECT_EQ(own(result, kErrorFamily, bad), 1) << bad;
    EXPECT_EQ(own(result, kMtimeFamily, bad), -1) << bad << ": a failed file must not look fresh";
  }
  EXPECT_EQ(family(result, "fine"), nullptr);  // nothing of a bad file
  EXPECT_EQ(family(result, "stamped"), nullptr);
  ASSERT_NE(family(result, "good"), nullptr);
  EXPECT_EQ(own(result, kErrorFamily, "good.prom"), 0);
  struct stat status {};
  ASSERT_EQ(::stat(dir_.file("good.prom").c_str(), &status), 0);
  EXPECT_EQ(own(result, kMtimeFamily, "good.prom"), static_cast<double>(status.st_mtim.tv_sec));
}

TEST_F(TextfileScanTest, MaxAgeLeavesOldFilesOutAndShowsTheirAge) {
  put("old.prom", "old 1\n");
  put("new.prom", "new 1\n");
  const auto two_hours_ago = std::chrono::system_clock::to_time_t(std::chrono::system_clock::now()) - 7200;
  const struct utimbuf times { two_hours_ago, two_hours_ago };
  ASSERT_EQ(::utime(dir_.file("old.prom").c_str(), &times), 0);
  const auto result = scan(std::chrono::hours(1));
  EXPECT_THAT(error_of(result, "old.prom"), HasSubstr(", longer ago than max_age 1h"));
  EXPECT_EQ(own(result, kErrorFamily, "old.prom"), 1);
  EXPECT_EQ(own(result, kMtimeFamily, "old.prom"), static_cast<double>(two_hours_ago));
  EXPECT_EQ(family(result, "old"), nullptr);
  EXPECT_NE(family(result, "new"), nullptr);
  // Without max_age, age alone is no reason.
  EXPECT_NE(family(scan(), "old"), nullptr);
}

TEST_F(TextfileScanTest, AFileDisagreeingWithAnEarlierOneIsFlagged) {
  put("a.prom", "# TYPE x gauge\nx 1\n");
  put("b.prom", "# TYPE x counter\nx{b=\"1\"} 1\n");
  const auto result = scan();
  EXPECT_EQ(error_of(result, "b.prom"), "TYPE counter of \"x\" differs from gauge in a.prom");
  EXPECT_EQ(own(result, kErrorFamily, "b.prom"), 1);
  EXPECT_EQ(own(result, kMtimeFamily, "b.prom"), -1);
  EXPECT_EQ(family(result, "x")->samples.size(), 1u);
}

TEST_F(TextfileScanTest, AnEmptyDirectoryHasNoSeries) {
  const auto result = scan();
  EXPECT_THAT(result.directory_error, IsEmpty());
  EXPECT_TRUE(result.families.empty());
}

TEST_F(TextfileScanTest, AMissingDirectoryIsAnErrorOfTheRun) {
  const auto result =
      scan_textfiles(TextfileOptions{dir_.file("absent"), std::nullopt, 1024}, std::chrono::system_clock::now());
  EXPECT_EQ(result.directory_error, "cannot list " + dir_.file("absent") + ": No such file or directory");
}

}  // namespace
}  // namespace gleaner::plugins::textfile
