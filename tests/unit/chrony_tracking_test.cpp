// Reading `chronyc -c tracking`: real outputs of chrony 4.3 (see
// fixtures/chrony/SOURCES.md), and broken ones.

#include "plugins/chrony/chrony_tracking.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "tests/support/fixtures.h"
#include "common/metrics/names.h"

namespace gleaner::plugins::chrony {
namespace {

using gleaner::testing::read_fixture;
using ::testing::HasSubstr;

const metrics::MetricFamily* family(const metrics::Families& families, const std::string& name) {
  for (const auto& f : families) {
    if (f.name == name) return &f;
  }
  return nullptr;
}

TEST(ChronyTracking, ASynchronisedServer) {
  const auto tracking = parse_tracking(read_fixture("chrony/local_stratum10_tracking.csv"));
  ASSERT_TRUE(tracking.ok()) << tracking.error;
  EXPECT_EQ(tracking.ref_id, "7F7F0101");
  EXPECT_EQ(tracking.ref_host, "");
  EXPECT_EQ(tracking.stratum, 10);
  const auto families = tracking_families(tracking);
  ASSERT_EQ(families.size(), 5u);
  const auto* info = family(families, "chrony_tracking_reference_info");
  ASSERT_NE(info, nullptr);
  EXPECT_EQ(info->samples.at(0).labels.at(0).name, "ref_id");
  EXPECT_EQ(info->samples.at(0).labels.at(0).value, "7F7F0101");
  EXPECT_EQ(info->samples.at(0).labels.at(1).name, "ref_host");
  for (const auto& f : families) {
    EXPECT_FALSE(f.help.empty()) << f.name;
    EXPECT_EQ(f.type, metrics::MetricType::gauge);
  }
}

TEST(ChronyTracking, RootDispersionIsItsOwnField) {
  // Not synchronised: root dispersion 1 s, last offset 0 (chrony.py showed
  // the last offset under the root dispersion's name).
  const auto tracking = parse_tracking(read_fixture("chrony/unsynchronised_tracking.csv"));
  ASSERT_TRUE(tracking.ok()) << tracking.error;
  EXPECT_EQ(tracking.stratum, 0);
  EXPECT_EQ(tracking.root_dispersion, 1.0);
  EXPECT_EQ(tracking.last_offset, 0.0);
  const auto families = tracking_families(tracking);
  EXPECT_EQ(family(families, "chrony_tracking_root_dispersion_seconds")->samples.at(0).value, 1.0);
}

TEST(ChronyTracking, BrokenOutputIsAnError) {
  EXPECT_THAT(parse_tracking("506 Cannot talk to daemon\n").error, HasSubstr("14 comma-separated fields, got 1"));
  EXPECT_THAT(parse_tracking("7F7F0101,,ten,0,0,0,0,0,0,0,0,0,0,Normal\n").error, HasSubstr("expected numbers"));
  EXPECT_THAT(parse_tracking("a\nb\n").error, HasSubstr("one line"));
}

// Found by tests/fuzz (fuzz_chrony_tracking): an error quoted the whole
// output, of any length and bytes, into a message logged as one line.
TEST(ChronyTracking, AnErrorQuotesTheOutputShort) {
  const auto error = parse_tracking("7F7F0101,,10,\xff" + std::string(100000, '0') + "\r,0\n").error;
  EXPECT_THAT(error, HasSubstr("expected 14 comma-separated fields, got 5 in \"7F7F0101,,10,"));
  EXPECT_LT(error.size(), 300u);
  EXPECT_EQ(metrics::sanitize_utf8(error), error);
  EXPECT_EQ(error.find_first_of("\r\n"), std::string::npos);
}

}  // namespace
}  // namespace gleaner::plugins::chrony
