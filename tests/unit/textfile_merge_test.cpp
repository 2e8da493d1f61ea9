// Joining several textfiles' families: what agrees is merged, a file that
// disagrees with an earlier one is left out whole.

#include "plugins/textfile/textfile_merge.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "common/parsers/prometheus_parser.h"

namespace gleaner::plugins::textfile {
namespace {

using ::testing::HasSubstr;

ParsedTextfile file(const std::string& name, const std::string& text) {
  auto parsed = parsers::PrometheusParser(parsers::PrometheusOptions{.on_error = parsers::OnError::fail})
                    .parse(parsers::ParseInput{text, 0});
  EXPECT_TRUE(parsed.ok()) << parsed.error;
  return ParsedTextfile{name, "/t/" + name, std::move(parsed.families)};
}

const metrics::MetricFamily* family(const metrics::Families& families, const std::string& name) {
  for (const auto& f : families) {
    if (f.name == name) return &f;
  }
  return nullptr;
}

TEST(TextfileMerge, AFamilyInSeveralFilesIsOneFamily) {
  const auto merged = merge_textfiles({file("a.prom", "# HELP up_x Up.\n# TYPE up_x gauge\nup_x{job=\"a\"} 1\n"),
                                       file("b.prom", "# TYPE up_x gauge\nup_x{job=\"b\"} 0\nother 3\n")},
                                      {});
  EXPECT_TRUE(merged.rejected.empty());
  ASSERT_EQ(merged.families.size(), 2u);
  const auto* up = family(merged.families, "up_x");
  ASSERT_NE(up, nullptr);
  EXPECT_EQ(up->help, "Up.");
  ASSERT_EQ(up->samples.size(), 2u);
  EXPECT_EQ(up->samples[1].labels, (metrics::Labels{{"job", "b"}}));
  EXPECT_EQ(family(merged.families, "other")->help, "Metric read from /t/b.prom");
}

TEST(TextfileMerge, ADefaultHelpNamesEveryFile) {
  const auto merged = merge_textfiles({file("a.prom", "x{f=\"a\"} 1\n"), file("b.prom", "x{f=\"b\"} 1\n")}, {});
  EXPECT_EQ(family(merged.families, "x")->help, "Metric read from /t/a.prom, /t/b.prom");
}

TEST(TextfileMerge, ALaterFileWithAnotherTypeIsLeftOutWhole) {
  const auto merged =
      merge_textfiles({file("a.prom", "# TYPE x gauge\nx 1\n"), file("b.prom", "# TYPE x counter\nx{l=\"2\"} 2\ny 1\n"),
                       file("c.prom", "z 1\n")},
                      {});
  ASSERT_EQ(merged.rejected.size(), 1u);
  EXPECT_EQ(merged.rejected[0].file, 1u);
  EXPECT_EQ(merged.rejected[0].why, "TYPE counter of \"x\" differs from gauge in a.prom");
  EXPECT_EQ(family(merged.families, "y"), nullptr);
  EXPECT_NE(family(merged.families, "z"), nullptr);
  EXPECT_EQ(family(merged.families, "x")->samples.size(), 1u);
}

TEST(TextfileMerge, AnotherHelpDisagreesButNoHelpAgrees) {
  const auto merged =
      merge_textfiles({file("a.prom", "x{f=\"a\"} 1\n"), file("b.prom", "# HELP x Given.\nx{f=\"b\"} 1\n"),
                       file("c.prom", "# HELP x Other.\nx{f=\"c\"} 1\n")},
                      {});
  ASSERT_EQ(merged.rejected.size(), 1u);
  EXPECT_EQ(merged.rejected[0].file, 2u);
  EXPECT_EQ(merged.rejected[0].why, "HELP of \"x\" differs from the one in b.prom");
  EXPECT_EQ(family(merged.families, "x")->help, "Given.");
}

TEST(TextfileMerge, ASeriesAnEarlierFileGaveLeavesTheLaterFileOut) {
  const auto merged = merge_textfiles(
      {file("a.prom", "# TYPE h histogram\nh_bucket{le=\"1\"} 1\nh_bucket{le=\"+Inf\"} 1\nh_sum 1\nh_count 1\n"),
       file("b.prom", "# TYPE h histogram\nh_bucket{le=\"1.0\"} 2\n")},
      {});
  ASSERT_EQ(merged.rejected.size(), 1u);
  EXPECT_THAT(merged.rejected[0].why, HasSubstr("series \"h_bucket\" with the same labels is already in a.prom"));
}

TEST(TextfileMerge, ANameAnotherFamilyTakesLeavesTheFileOut) {
  const auto merged = merge_textfiles({file("a.prom", "# TYPE h_sum gauge\nh_sum 1\n"),
                                       file("b.prom", "# TYPE h histogram\nh_bucket{le=\"+Inf\"} 1\nh_count 1\n")},
                                      {});
  ASSERT_EQ(merged.rejected.size(), 1u);
  EXPECT_EQ(merged.rejected[0].why, "family \"h\" takes the name \"h_sum\" of gauge \"h_sum\" in a.prom");
}

TEST(TextfileMerge, ThePluginsOwnNamesAreNotAFilesToUse) {
  const auto merged = merge_textfiles({file("a.prom", "textfile_scrape_error 0\nok 1\n")}, {"textfile_scrape_error"});
  ASSERT_EQ(merged.rejected.size(), 1u);
  EXPECT_THAT(merged.rejected[0].why, HasSubstr("of the plugin's own series"));
  EXPECT_TRUE(merged.families.empty());
}

}  // namespace
}  // namespace gleaner::plugins::textfile
