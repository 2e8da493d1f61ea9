// Reading /proc/self/mounts for node_filesystem_readonly.

#include "plugins/df/mount_table.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <fstream>
#include <sstream>

namespace gleaner::plugins::df {
namespace {

using ::testing::Pair;
using ::testing::UnorderedElementsAre;

TEST(MountTable, ReadOnlyIsTheRoOption) {
  const auto table = parse_mount_table(
      "/dev/vda / ext4 rw,relatime,discard 0 0\n"
      "/dev/vdb /srv/archive xfs ro,relatime 0 0\n"
      "tmpfs /run tmpfs rw,nosuid,nodev,size=1639428k,mode=755 0 0\n"
      // "ro" only as a whole option: errors=remount-ro is not read-only.
      "/dev/vdc /data ext4 rw,errors=remount-ro 0 0\n");
  EXPECT_THAT(table, UnorderedElementsAre(Pair(MountKey{"/dev/vda", "ext4", "/"}, false),
                                          Pair(MountKey{"/dev/vdb", "xfs", "/srv/archive"}, true),
                                          Pair(MountKey{"tmpfs", "tmpfs", "/run"}, false),
                                          Pair(MountKey{"/dev/vdc", "ext4", "/data"}, false)));
}

TEST(MountTable, TheKernelsOctalEscapesAreReadBack) {
  // A mount point "/mnt/my disk\tx\\y" as the kernel writes it.
  const auto table = parse_mount_table("/dev/sdb1 /mnt/my\\040disk\\011x\\134y vfat ro 0 0\n"
                                       // Not an escape: kept as written.
                                       "/dev/sdc1 /mnt/odd\\09 vfat rw 0 0\n");
  EXPECT_THAT(table, UnorderedElementsAre(Pair(MountKey{"/dev/sdb1", "vfat", "/mnt/my disk\tx\\y"}, true),
                                          Pair(MountKey{"/dev/sdc1", "vfat", "/mnt/odd\\09"}, false)));
}

TEST(MountTable, TheFirstLineOfAFilesystemMountedTwiceWins) {
  const auto table = parse_mount_table("/dev/vdb /srv xfs rw 0 0\n/dev/vdb /srv xfs ro 0 0\n");
  EXPECT_THAT(table, UnorderedElementsAre(Pair(MountKey{"/dev/vdb", "xfs", "/srv"}, false)));
}

TEST(MountTable, ShortAndBlankLinesAreSkipped) {
  EXPECT_TRUE(parse_mount_table("").empty());
  EXPECT_THAT(parse_mount_table("\n/dev/vda /\n  \n/dev/vda / ext4 ro\n"),
              UnorderedElementsAre(Pair(MountKey{"/dev/vda", "ext4", "/"}, true)));
}

TEST(MountTable, ThisMachinesOwnTableIsRead) {
  std::ifstream in("/proc/self/mounts");
  std::stringstream text;
  text << in.rdbuf();
  const auto table = parse_mount_table(text.str());
  // /proc is mounted wherever this file could be read (a chroot has no "/"
  // of its own in the table, so that is not looked for).
  bool proc = false;
  for (const auto& [key, read_only] : table) proc = proc || (std::get<1>(key) == "proc" && std::get<2>(key) == "/proc");
  EXPECT_TRUE(proc) << text.str();
}

}  // namespace
}  // namespace gleaner::plugins::df
