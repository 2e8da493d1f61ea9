// The df plugin with `names: node_exporter` against node_exporter's own
// filesystem collector (node_exporter 1.5, Debian 12's
// prometheus-node-exporter) on this machine: the same families with the same
// HELP and TYPE, the same labels for the filesystems both report, and the
// same values (space and free inodes change while tests write, so those
// within a margin). node-mixin's disk alerts and dashboards then read
// gleaner's series as they read node_exporter's.

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <cmath>
#include <map>
#include <set>
#include <string>
#include <tuple>

#include "tests/support/daemon_fixture.h"
#include "tests/support/exposition_reader.h"
#include "tests/support/node_exporter.h"
#include "tests/support/promtool.h"

namespace gleaner::testing {
namespace {

using Filesystem = std::tuple<std::string, std::string, std::string>;  // device, fstype, mountpoint

bool is_filesystem_family(const std::string& name) { return name.rfind("node_filesystem_", 0) == 0; }

// Each filesystem's value of one family.
std::map<Filesystem, double> values_of(const ExposedText& text, const std::string& family) {
  std::map<Filesystem, double> values;
  for (const auto& sample : text.named(family)) {
    values[{sample.label("device").value_or(""), sample.label("fstype").value_or(""),
            sample.label("mountpoint").value_or("")}] = sample.number();
  }
  return values;
}

std::map<std::string, std::string> filesystem_headers(const std::vector<ExposedHeader>& headers) {
  std::map<std::string, std::string> out;
  for (const auto& header : headers) {
    if (is_filesystem_family(header.family)) out[header.family] = header.text;
  }
  return out;
}

class DfNodeExporterTest : public DaemonFixture {};

TEST_F(DfNodeExporterTest, NodeExporterNamesGiveNodeExportersSeries) {
  if (!node_exporter_installed()) GTEST_SKIP() << "prometheus-node-exporter is not installed (.ci/install-deps)";
  // Every filesystem node_exporter can see: the comparison is on those both report.
  NodeExporter node_exporter({"--collector.filesystem", "--collector.filesystem.mount-points-exclude=^$",
                              "--collector.filesystem.fs-types-exclude=^$"});
  ASSERT_TRUE(node_exporter.ready()) << node_exporter.log();
  start("collectors:\n  - {name: disk, plugin: df, options: {names: node_exporter}}\n");
  const auto body =
      scrape_until([](const std::string& b) { return has(b, "gleaner_collector_up{collector=\"disk\"} 1"); });
  const auto reference_text = node_exporter.metrics();
  const auto ours = read_exposition(body);
  const auto reference = read_exposition(reference_text);
  ASSERT_TRUE(ours.unreadable.empty());
  ASSERT_TRUE(reference.unreadable.empty());

  // The same families, HELPs and TYPEs.
  EXPECT_EQ(filesystem_headers(ours.helps), filesystem_headers(reference.helps));
  EXPECT_EQ(filesystem_headers(ours.types), filesystem_headers(reference.types));
  EXPECT_EQ(filesystem_headers(ours.types).size(), 7u) << body;

  // The same labels for what both report: on a host or in a container the
  // root filesystem at least; in a chroot, where node_exporter reads PID 1's
  // mounts (outside it), what the two views share, such as /dev.
  const auto our_sizes = values_of(ours, "node_filesystem_size_bytes");
  const auto reference_sizes = values_of(reference, "node_filesystem_size_bytes");
  std::set<Filesystem> both;
  for (const auto& [filesystem, size] : our_sizes) {
    if (reference_sizes.contains(filesystem)) both.insert(filesystem);
  }
  ASSERT_FALSE(both.empty()) << "gleaner:\n" << body << "\nnode_exporter:\n" << reference_text;

  // The same values; what moves while other tests write, within 1 %.
  for (const char* family : {"node_filesystem_size_bytes", "node_filesystem_files", "node_filesystem_readonly",
                             "node_filesystem_device_error"}) {
    const auto our_values = values_of(ours, family);
    const auto reference_values = values_of(reference, family);
    for (const auto& filesystem : both) {
      ASSERT_TRUE(our_values.contains(filesystem) && reference_values.contains(filesystem)) << family;
      EXPECT_EQ(our_values.at(filesystem), reference_values.at(filesystem))
          << family << " of " << std::get<2>(filesystem);
    }
  }
  for (const auto& [family, whole] : {std::pair{"node_filesystem_free_bytes", "node_filesystem_size_bytes"},
                                      std::pair{"node_filesystem_avail_bytes", "node_filesystem_size_bytes"},
                                      std::pair{"node_filesystem_files_free", "node_filesystem_files"}}) {
    const auto our_values = values_of(ours, family);
    const auto reference_values = values_of(reference, family);
    const auto totals = values_of(reference, whole);
    for (const auto& filesystem : both) {
      if (!reference_values.contains(filesystem) || totals.at(filesystem) == 0) continue;
      ASSERT_TRUE(our_values.contains(filesystem)) << family << " of " << std::get<2>(filesystem);
      EXPECT_LE(std::abs(our_values.at(filesystem) - reference_values.at(filesystem)), totals.at(filesystem) / 100)
          << family << " of " << std::get<2>(filesystem);
    }
  }

  const auto verdict = promtool_check_metrics(body);
  EXPECT_TRUE(verdict.valid) << verdict.output;
}

TEST_F(DfNodeExporterTest, ANameSchemeOtherThanTheTwoIsAnErrorAtItsPosition) {
  const auto config = write_config("collectors:\n  - {name: disk, plugin: df, options: {names: node}}\n");
  const auto checked = run_gleaner({"--check-config", "--config", config});
  EXPECT_EQ(checked.exit_code, 2);
  EXPECT_THAT(checked.err, ::testing::HasSubstr(config + ":2:47: options.names: \"node\" is neither gleaner nor "
                                                         "node_exporter"));
}

}  // namespace
}  // namespace gleaner::testing
