// Reading /proc/mdstat into node_exporter's node_md_* series: node_exporter's
// own fixture, checked against what node_exporter exposes for it (see
// fixtures/mdraid/SOURCES.md).

#include "plugins/mdraid/mdstat.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <map>
#include <sstream>

#include "tests/support/family_series.h"
#include "tests/support/fixtures.h"
#include "common/metrics/names.h"
#include "plugins/mdraid/md_metrics.h"

namespace gleaner::plugins::mdraid {
namespace {

using gleaner::testing::help_texts;
using gleaner::testing::read_fixture;
using gleaner::testing::series_in;
using gleaner::testing::series_of;
using ::testing::HasSubstr;

const MdArray* find(const MdStat& mdstat, const std::string& device) {
  for (const auto& array : mdstat.arrays) {
    if (array.device == device) return &array;
  }
  return nullptr;
}

TEST(Mdstat, SeriesAreThoseNodeExporterExposesForTheSameFile) {
  const auto mdstat = parse_mdstat(read_fixture("mdraid/node_exporter_mdstat.txt"));
  ASSERT_TRUE(mdstat.ok()) << mdstat.error;
  EXPECT_EQ(mdstat.arrays.size(), 17u);
  EXPECT_EQ(series_of(md_families(mdstat.arrays)), series_in(read_fixture("mdraid/node_exporter_expected.prom")));
}

TEST(Mdstat, HelpTextsAreNodeExporters) {
  const auto families = md_families(parse_mdstat(read_fixture("mdraid/one_idle_raid1.txt")).arrays);
  const auto helps = help_texts(read_fixture("mdraid/node_exporter_expected.prom"));
  for (const auto& [name, help] : helps) {
    const auto it = std::find_if(families.begin(), families.end(), [&](const auto& f) { return f.name == name; });
    ASSERT_NE(it, families.end()) << name;
    EXPECT_EQ(it->help, help);
  }
  EXPECT_EQ(helps.size(), 5u);
}

TEST(Mdstat, AReshapeIsReadWithItsProgress) {
  const auto mdstat = parse_mdstat(read_fixture("mdraid/procfs_mdstat.txt"));
  ASSERT_TRUE(mdstat.ok()) << mdstat.error;
  const auto* md42 = find(mdstat, "md42");
  ASSERT_NE(md42, nullptr);
  EXPECT_EQ(md42->state, "reshaping");
  EXPECT_EQ(md42->disks_total, 3);
  EXPECT_EQ(md42->disks_active, 2);
  EXPECT_EQ(md42->disks_spare, 1);
  EXPECT_EQ(md42->blocks, 1953381440);
  EXPECT_EQ(md42->blocks_synced, 1096879076);
  // As in node_exporter, no state series says 1 for a reshape.
  for (const auto& [key, value] : series_of(md_families({*md42}))) {
    if (key.starts_with("node_md_state")) {
      EXPECT_EQ(value, 0) << key;
    }
  }
}

TEST(Mdstat, OneIdleMirror) {
  const auto mdstat = parse_mdstat(read_fixture("mdraid/one_idle_raid1.txt"));
  ASSERT_TRUE(mdstat.ok()) << mdstat.error;
  ASSERT_EQ(mdstat.arrays.size(), 1u);
  const auto& md = mdstat.arrays[0];
  EXPECT_EQ(md.device, "md127");
  EXPECT_EQ(md.state, "active");
  EXPECT_EQ(md.disks_total, 2);
  EXPECT_EQ(md.disks_active, 2);
  EXPECT_EQ(md.blocks_synced, md.blocks);
}

TEST(Mdstat, NoArraysNoSeries) {
  const auto mdstat = parse_mdstat("Personalities : \nunused devices: <none>\n");
  ASSERT_TRUE(mdstat.ok()) << mdstat.error;
  EXPECT_TRUE(md_families(mdstat.arrays).empty());
}

TEST(Mdstat, BrokenInputIsAnErrorWithItsLine) {
  // Cut-off and damaged forms of the real file.
  EXPECT_THAT(parse_mdstat("Personalities : [raid1]\nmd127 : active raid1 sdi2[0] sdj2[1]\n").error,
              HasSubstr("line 2: md127: no status line"));
  EXPECT_THAT(parse_mdstat("md127 : active raid1 sdi2[0] sdj2[1]\n      312319552 blocks [2/2]\n").error,
              HasSubstr("[n/m] [U_]"));
  EXPECT_THAT(parse_mdstat("md127 : active raid1 sdi2[0]\n      lots of blocks [1/1] [U]\n").error,
              HasSubstr("block count"));
  EXPECT_THAT(parse_mdstat("garbage\n").error, HasSubstr("line 1: not an array"));
}

// Found by tests/fuzz (fuzz_mdstat): an error quoted its whole line, of any
// length and bytes, into a message that is logged as one line.
TEST(Mdstat, AnErrorQuotesItsLineShort) {
  const auto error = parse_mdstat("md6 : active raid1 sdb2[2] sdc[1]\n      1953\xff" + std::string(100000, '1') +
                                  " blocks [2/1] [U_]\n").error;
  EXPECT_THAT(error, HasSubstr("line 1: md6: expected a block count in \"      1953"));
  EXPECT_LT(error.size(), 300u);
  EXPECT_EQ(metrics::sanitize_utf8(error), error);
  const auto named = parse_mdstat("md\xff\r : active raid1 sdb2[2]\n").error;
  EXPECT_THAT(named, HasSubstr("line 1: \"md\xef\xbf\xbd\\r\": no status line"));
}

// Found by tests/fuzz (fuzz_mdstat): an array listed twice gave each of its
// series twice.
TEST(Mdstat, AnArrayListedTwiceIsAnError) {
  const std::string array = "md0 : active raid1 sdb1[1] sda1[0]\n      1024 blocks [2/2] [UU]\n";
  EXPECT_THAT(parse_mdstat(array + "\n" + array).error, HasSubstr("line 4: md0: listed a second time (first at line 1)"));
  // Names that read alike as labels (invalid UTF-8 made valid) are one too.
  const auto alike = parse_mdstat("md\xff : active raid0 sda1[0]\n      1024 blocks\nmd\xfe : active raid0 sdb1[0]\n"
                                  "      1024 blocks\n");
  EXPECT_THAT(alike.error, HasSubstr("line 3: \"md\xef\xbf\xbd\": listed a second time (first at line 1)"));
}

}  // namespace
}  // namespace gleaner::plugins::mdraid
