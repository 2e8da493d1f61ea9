// gleaner's textfile plugin against node_exporter's textfile collector
// (node_exporter 1.5, Debian 12's prometheus-node-exporter): one directory
// of realistic script outputs, read by both, must give the same samples,
// TYPEs and HELPs, the same mtimes for the files they publish, and the same
// verdict on the files both refuse (one malformed, one with timestamps).
// Each tool's own series are set aside: node_exporter's go_*, process_*,
// promhttp_*, node_scrape_collector_*, node_textfile_*; gleaner's
// gleaner_*, process_*, textfile_* and its `collector` label.

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <cmath>
#include <cstdio>
#include <filesystem>
#include <map>
#include <set>

#include "tests/support/daemon_fixture.h"
#include "tests/support/exposition_reader.h"
#include "tests/support/fixtures.h"
#include "tests/support/node_exporter.h"
#include "tests/support/promtool.h"

namespace gleaner::testing {
namespace {

using ::testing::IsEmpty;

const char* const kFixtures[] = {
    "apt_info.prom", "smartmon.prom", "directory_size_var.prom", "directory_size_srv.prom", "backup_job.prom",
    "broken.prom",   "stamped.prom"};

bool starts_with(const std::string& text, const char* prefix) { return text.rfind(prefix, 0) == 0; }

bool node_exporters_own(const std::string& name) {
  for (const char* prefix :
       {"go_", "process_", "promhttp_", "node_scrape_collector_", "node_textfile_", "node_exporter_"}) {
    if (starts_with(name, prefix)) return true;
  }
  return false;
}

bool gleaners_own(const std::string& name) {
  return starts_with(name, "gleaner_") || starts_with(name, "process_") || starts_with(name, "textfile_");
}

// A number in one spelling: 2.0, 2 and 2e+00 are one value.
std::string canonical(const std::string& text) {
  const double value = std::strtod(text.c_str(), nullptr);
  if (std::isnan(value)) return "NaN";
  char buffer[64];
  std::snprintf(buffer, sizeof buffer, "%.17g", value);
  return buffer;
}

// Every sample as "name{labels sorted} value": labels with an empty value
// are left out (Prometheus stores none of them), `le` and `quantile`
// compared as numbers, and the labels in `ignored` dropped.
std::set<std::string> sample_set(const ExposedText& text, bool (*own)(const std::string&),
                                 const std::set<std::string>& ignored) {
  std::set<std::string> samples;
  for (const auto& sample : text.samples) {
    if (own(sample.name)) continue;
    std::map<std::string, std::string> labels;
    for (const auto& label : sample.labels) {
      if (label.value.empty() || ignored.contains(label.name)) continue;
      labels[label.name] = (label.name == "le" || label.name == "quantile") ? canonical(label.value) : label.value;
    }
    std::string line = sample.name + "{";
    for (const auto& [name, value] : labels) line += name + "=\"" + value + "\",";
    samples.insert(line + "} " + canonical(sample.value));
  }
  return samples;
}

std::map<std::string, std::string> headers(const std::vector<ExposedHeader>& lines, bool (*own)(const std::string&)) {
  std::map<std::string, std::string> out;
  for (const auto& header : lines) {
    if (!own(header.family)) out[header.family] = header.text;
  }
  return out;
}

class TextfileNodeExporterTest : public DaemonFixture {};

TEST_F(TextfileNodeExporterTest, BothExposeTheSameSamples) {
  if (!node_exporter_installed()) GTEST_SKIP() << "prometheus-node-exporter is not installed (.ci/install-deps)";
  const auto textfiles = dir_ + "/textfiles";
  std::filesystem::create_directory(textfiles);
  for (const char* name : kFixtures) {
    std::filesystem::copy_file(fixture_path(std::string("textfile/") + name), textfiles + "/" + name);
  }

  NodeExporter node_exporter({"--collector.textfile", "--collector.textfile.directory=" + textfiles});
  ASSERT_TRUE(node_exporter.ready()) << node_exporter.log();
  start("collectors:\n  - {name: textfile, plugin: textfile, options: {directory: " + textfiles + "}}\n");
  const auto body =
      scrape_until([](const std::string& b) { return has(b, "gleaner_collector_up{collector=\"textfile\"} 1"); });
  const auto reference_text = node_exporter.metrics();
  const auto ours = read_exposition(body);
  const auto reference = read_exposition(reference_text);
  ASSERT_THAT(ours.unreadable, IsEmpty());
  ASSERT_THAT(reference.unreadable, IsEmpty());

  const auto our_samples = sample_set(ours, gleaners_own, {"collector"});
  const auto reference_samples = sample_set(reference, node_exporters_own, {});
  EXPECT_GT(reference_samples.size(), 40u);
  std::vector<std::string> only_ours, only_reference;
  std::set_difference(our_samples.begin(), our_samples.end(), reference_samples.begin(), reference_samples.end(),
                      std::back_inserter(only_ours));
  std::set_difference(reference_samples.begin(), reference_samples.end(), our_samples.begin(), our_samples.end(),
                      std::back_inserter(only_reference));
  EXPECT_THAT(only_ours, IsEmpty()) << "gleaner:\n" << body;
  EXPECT_THAT(only_reference, IsEmpty()) << "node_exporter:\n" << reference_text;
  EXPECT_EQ(headers(ours.types, gleaners_own), headers(reference.types, node_exporters_own));
  EXPECT_EQ(headers(ours.helps, gleaners_own), headers(reference.helps, node_exporters_own));

  // The same files published, with the same mtimes (node_exporter 1.5
  // labels them with the path, gleaner with the name), and both say that
  // something was wrong.
  std::map<std::string, std::string> our_mtimes, reference_mtimes;
  for (const auto& sample : ours.named("textfile_mtime_seconds")) our_mtimes[*sample.label("file")] = sample.value;
  for (const auto& sample : reference.named("node_textfile_mtime_seconds")) {
    reference_mtimes[std::filesystem::path(*sample.label("file")).filename().string()] = canonical(sample.value);
  }
  for (auto& [file, value] : our_mtimes) value = canonical(value);
  EXPECT_EQ(our_mtimes, reference_mtimes);
  EXPECT_EQ(our_mtimes.size(), 5u);
  ASSERT_EQ(reference.named("node_textfile_scrape_error").size(), 1u);
  EXPECT_EQ(reference.named("node_textfile_scrape_error")[0].number(), 1);
  std::set<std::string> flagged;
  for (const auto& sample : ours.named("textfile_scrape_error")) {
    if (sample.number() == 1) flagged.insert(*sample.label("file"));
  }
  EXPECT_EQ(flagged, (std::set<std::string>{"broken.prom", "stamped.prom"}));

  const auto verdict = promtool_check_metrics(body);
  EXPECT_TRUE(verdict.valid) << verdict.output;
}

}  // namespace
}  // namespace gleaner::testing
