// Reading df's POSIX output: real outputs, mount points with spaces,
// human-readable sizes, and broken input.

#include "plugins/df/df_output.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "tests/support/fixtures.h"

namespace gleaner::plugins::df {
namespace {

using gleaner::testing::read_fixture;
using ::testing::HasSubstr;

const DfRow* find(const DfTable& table, const std::string& mountpoint) {
  for (const auto& row : table.rows) {
    if (row.mountpoint == mountpoint) return &row;
  }
  return nullptr;
}

TEST(DfOutput, ReadsRealBlockOutputToTheByte) {
  const auto table = parse_df_output(read_fixture("df/debian12_bytes.txt"));
  ASSERT_TRUE(table.ok()) << table.error;
  ASSERT_EQ(table.rows.size(), 6u);
  const auto* root = find(table, "/");
  ASSERT_NE(root, nullptr);
  EXPECT_EQ(root->device, "/dev/vda");
  EXPECT_EQ(root->fstype, "ext4");
  EXPECT_EQ(root->total, 270553174016.0);
  EXPECT_EQ(root->used, 17691852800.0);
  EXPECT_EQ(root->available, 85053427712.0);
}

TEST(DfOutput, MountPointWithSpacesIsKeptWhole) {
  const auto table = parse_df_output(read_fixture("df/debian12_bytes.txt"));
  const auto* spaced = find(table, "/tmp/mnt with space");
  ASSERT_NE(spaced, nullptr);
  EXPECT_EQ(spaced->device, "gleanertest");
  EXPECT_EQ(spaced->total, 12638248960.0);
}

TEST(DfOutput, ReadsInodesAndDashesForFilesystemsWithout) {
  const auto table = parse_df_output(read_fixture("df/busy_host_inodes.txt"));
  ASSERT_TRUE(table.ok()) << table.error;
  const auto* docker = find(table, "/var/lib/docker");
  ASSERT_NE(docker, nullptr);
  EXPECT_FALSE(docker->total.has_value());
  EXPECT_FALSE(docker->available.has_value());
  const auto* root = find(table, "/");
  ASSERT_NE(root, nullptr);
  EXPECT_EQ(root->total, 31227904.0);
  EXPECT_EQ(root->available, 28384784.0);
}

TEST(DfOutput, LargeNumbersSpacesAndUnicodeInMountPoints) {
  const auto table = parse_df_output(read_fixture("df/busy_host_bytes.txt"));
  ASSERT_TRUE(table.ok()) << table.error;
  ASSERT_EQ(table.rows.size(), 8u);
  const auto* nas = find(table, "/mnt/nas share/Ünïcødé");
  ASSERT_NE(nas, nullptr);
  EXPECT_EQ(nas->fstype, "cifs");
  EXPECT_EQ(nas->total, 11999999999999.0);
  EXPECT_NE(find(table, "/srv/backup disk"), nullptr);
}

TEST(DfOutput, HumanReadableSizesAreReadAs1024Multiples) {
  const auto table = parse_df_output(read_fixture("df/debian12_human.txt"));
  ASSERT_TRUE(table.ok()) << table.error;
  const auto* root = find(table, "/");
  ASSERT_NE(root, nullptr);
  EXPECT_EQ(root->total, 252.0 * 1024 * 1024 * 1024);
  const auto* small = find(table, "/mnt/readonly");
  ASSERT_NE(small, nullptr);
  EXPECT_EQ(small->total, 4096.0);
}

TEST(DfOutput, OutputWithoutTheTypeColumnIsRejected) {
  const auto table = parse_df_output(read_fixture("df/plain_df_h.txt"));
  EXPECT_FALSE(table.ok());
  EXPECT_THAT(table.error, HasSubstr("line 1: not df -P -T output"));
}

TEST(DfOutput, BrokenRowsNameTheirLine) {
  const std::string header = "Filesystem Type 1-blocks Used Available Capacity Mounted on\n";
  EXPECT_THAT(parse_df_output(header + "/dev/sda1 ext4 100 50\n").error, HasSubstr("line 2: expected 7 columns"));
  EXPECT_THAT(parse_df_output(header + "/dev/sda1 ext4 lots 50 50 50% /\n").error,
              HasSubstr("line 2: expected counts"));
  EXPECT_THAT(parse_df_output(header + "/dev/sda1 ext4 100 -5 50 50% /\n").error, HasSubstr("line 2"));
  EXPECT_EQ(parse_df_output("").error, "no output from df");
}

TEST(DfOutput, CrlfAndBlankLinesAreTolerated) {
  const auto table = parse_df_output(
      "Filesystem Type 1-blocks Used Available Capacity Mounted on\r\n\r\n/dev/sda1 ext4 100 40 60 40% /data\r\n");
  ASSERT_TRUE(table.ok()) << table.error;
  ASSERT_EQ(table.rows.size(), 1u);
  EXPECT_EQ(table.rows[0].mountpoint, "/data");
}

TEST(DfOutput, GarbageNeverCrashes) {
  std::string garbage = "Filesystem Type\n";
  for (int i = 0; i < 4096; ++i) garbage.push_back(static_cast<char>((i * 7919) % 256));
  const auto table = parse_df_output(garbage);
  EXPECT_FALSE(table.ok());
}

// Found by tests/fuzz (fuzz_df_output): an error quoted the whole line it
// could not read, however long and whatever its bytes, into a message that
// is logged and shown on the status page. It quotes a short, valid piece.
TEST(DfOutput, AnErrorQuotesTheLineShortAndAsValidUtf8) {
  const std::string header = "Filesystem Type 1-blocks Used Available Capacity Mounted on\n";
  const std::string garbage = "\xff\xfe" + std::string(100'000, 'x');
  for (const std::string& text : {garbage + "\n", header + "/dev/sda1 " + garbage + "\n",
                                   header + "/dev/sda1 ext4 " + garbage + " 1 1 1% /\n"}) {
    const auto error = parse_df_output(text).error;
    EXPECT_LT(error.size(), 300u) << error.substr(0, 300);
    EXPECT_EQ(error.find('\xff'), std::string::npos);
    EXPECT_THAT(error, HasSubstr("line "));
  }
}

}  // namespace
}  // namespace gleaner::plugins::df
