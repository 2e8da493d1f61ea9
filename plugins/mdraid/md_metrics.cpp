#include "plugins/mdraid/md_metrics.h"

#include <string>

#include "common/metrics/names.h"

namespace gleaner::plugins::mdraid {

using metrics::Label;
using metrics::MetricType;
using metrics::Sample;

metrics::Families md_families(const std::vector<MdArray>& arrays) {
  // node_exporter's state label values, and the parsed state each stands
  // for; "reshaping" has none there, so a reshaping array shows 0 in all.
  static const std::pair<const char*, const char*> kStates[] = {
      {"active", "active"}, {"inactive", "inactive"}, {"recovering", "recovering"},
      {"resync", "resyncing"}, {"check", "checking"},
  };
  metrics::FamilyBuilder builder;
  const auto gauge = [&](const char* name, const char* help) { builder.family(name, MetricType::gauge, help); };
  gauge("node_md_disks_required", "Total number of disks of device.");
  gauge("node_md_disks", "Number of active/failed/spare disks of device.");
  gauge("node_md_state", "Indicates the state of md-device.");
  gauge("node_md_blocks", "Total number of blocks on device.");
  gauge("node_md_blocks_synced", "Number of blocks synced on device.");
  for (const auto& array : arrays) {
    const Label device{"device", metrics::sanitize_utf8(array.device)};
    const auto add = [&](const char* name, metrics::Labels labels, std::int64_t value) {
      builder.add(name, MetricType::gauge, Sample{name, std::move(labels), static_cast<double>(value)});
    };
    add("node_md_disks_required", {device}, array.disks_total);
    add("node_md_disks", {device, Label{"state", "active"}}, array.disks_active);
    add("node_md_disks", {device, Label{"state", "failed"}}, array.disks_failed);
    add("node_md_disks", {device, Label{"state", "spare"}}, array.disks_spare);
    for (const auto& [label, state] : kStates) {
      add("node_md_state", {device, Label{"state", label}}, array.state == state ? 1 : 0);
    }
    add("node_md_blocks", {device}, array.blocks);
    add("node_md_blocks_synced", {device}, array.blocks_synced);
  }
  auto families = builder.take();
  // No arrays, no series (as node_exporter, where the file is missing).
  std::erase_if(families, [](const auto& family) { return family.samples.empty(); });
  return families;
}

}  // namespace gleaner::plugins::mdraid
