#pragma once
// Reading `df -P -T` output (POSIX format, with the filesystem type), both
// the block form (`-B1`: sizes in bytes) and the inode form (`-i`). Pure.
//
// POSIX format puts each filesystem on one line with six fixed fields, then
// the mount point, which takes the rest of the line: so a mount point may
// hold spaces. (A device name with spaces cannot be told apart; df itself
// does not quote it.)

#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace gleaner::plugins::df {

struct DfRow {
  std::string device;
  std::string fstype;
  std::string mountpoint;
  // Bytes (block form) or inodes (inode form); nullopt where df prints "-",
  // as it does for inodes on filesystems that have none (btrfs…). Exact:
  // a double holds every whole number up to 8 PiB. Human-readable sizes
  // ("7.7G", from df -h) are read too, as 1024-based multiples.
  std::optional<double> total;
  std::optional<double> used;
  std::optional<double> available;
};

struct DfTable {
  std::vector<DfRow> rows;
  std::string error;  // "line 3: …"; empty when the whole output was read
  bool ok() const { return error.empty(); }
};

// Checks the header ("Filesystem Type … Mounted on") and reads every row.
DfTable parse_df_output(std::string_view text);

}  // namespace gleaner::plugins::df
