#pragma once
// The series node_exporter's mdadm collector makes of /proc/mdstat, with
// its names, labels and help texts (node_md_state, node_md_disks,
// node_md_disks_required, node_md_blocks, node_md_blocks_synced), so that
// dashboards and alerts written for it work unchanged. Pure.

#include <vector>

#include "plugins/mdraid/mdstat.h"
#include "common/metrics/sample.h"

namespace gleaner::plugins::mdraid {

metrics::Families md_families(const std::vector<MdArray>& arrays);

}  // namespace gleaner::plugins::mdraid
