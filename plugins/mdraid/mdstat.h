#pragma once
// Reading /proc/mdstat the way node_exporter's mdadm collector reads it
// (through github.com/prometheus/procfs), so that its node_md_* series come
// out the same. Pure.
//
// The kernel prints each array as a header line, "md0 : active raid1
// sdb1[1] sda1[0](F)", then indented lines: the status ("N blocks … [2/1]
// [U_]"; raid0 and linear have none of the brackets), maybe a bitmap line,
// maybe a sync line ("[=>…]  recovery = 8.5% (16775552/195310144) …",
// "resync=DELAYED").

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace gleaner::plugins::mdraid {

struct MdArray {
  std::string device;  // "md0"
  // "active", "inactive" (as the header says), or what the sync line says:
  // "recovering", "resyncing", "checking", "reshaping".
  std::string state;
  std::int64_t disks_active = 0;  // raid0/linear: every member
  std::int64_t disks_total = 0;   // required by the level; 0 when inactive
  std::int64_t disks_failed = 0;  // members marked (F)
  std::int64_t disks_spare = 0;   // members marked (S)
  std::int64_t blocks = 0;
  std::int64_t blocks_synced = 0;  // = blocks unless a sync is under way; 0 while it waits
};

struct MdStat {
  std::vector<MdArray> arrays;
  std::string error;  // "line 3: …"; empty when the whole file was read
  bool ok() const { return error.empty(); }
};

MdStat parse_mdstat(std::string_view text);

}  // namespace gleaner::plugins::mdraid
