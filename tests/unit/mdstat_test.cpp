// Reading /proc/mdstat into node_exporter's node_md_* series: node_exporter's
// own fixture, checked against what node_exporter exposes for it (see
// fixtures/mdraid/SOURCES.md).

#include "plugins/mdraid/mdstat.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <map>
#include <sstream>

#include "../support/family_series.h"
#include "../support/fixtures.h"
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

}  // namespace
}  // namespace gleaner::plugins::mdraid
