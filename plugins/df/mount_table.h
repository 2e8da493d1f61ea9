#pragma once
// Reading /proc/self/mounts (the fstab format the kernel writes): which
// mounted filesystems are read-only, for node_exporter's
// node_filesystem_readonly. Pure.

#include <map>
#include <string>
#include <string_view>
#include <tuple>

namespace gleaner::plugins::df {

// device, fstype, mount point: the labels a filesystem's series carry.
using MountKey = std::tuple<std::string, std::string, std::string>;

// Each filesystem's read-only flag (its options hold "ro"). The kernel
// writes a space, a tab, a newline and a backslash in a field as \040,
// \011, \012 and \134; they are read back. A filesystem mounted twice at
// the same place keeps its first line's flag, as node_exporter does. Lines
// with fewer than four fields are skipped.
std::map<MountKey, bool> parse_mount_table(std::string_view text);

}  // namespace gleaner::plugins::df
