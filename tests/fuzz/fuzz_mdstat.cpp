// The mdraid plugin's reader (plugins/mdraid/mdstat.h) and its series
// (md_metrics.h) on any bytes as /proc/mdstat. Asserts: parse_mdstat
// returns and never throws; its error is short, valid UTF-8 and one line;
// the same input reads the same twice; the families of what it read pass
// check_families, with one node_md_blocks series per array.

#include <cstdint>
#include <exception>
#include <string>

#include "tests/fuzz/fuzz_checks.h"
#include "plugins/mdraid/md_metrics.h"
#include "plugins/mdraid/mdstat.h"

namespace {

namespace md = gleaner::plugins::mdraid;
using gleaner::fuzz::violated;

bool same(const md::MdStat& a, const md::MdStat& b) {
  if (a.error != b.error || a.arrays.size() != b.arrays.size()) return false;
  for (std::size_t i = 0; i < a.arrays.size(); ++i) {
    const auto& x = a.arrays[i];
    const auto& y = b.arrays[i];
    if (x.device != y.device || x.state != y.state || x.disks_active != y.disks_active ||
        x.disks_total != y.disks_total || x.disks_failed != y.disks_failed || x.disks_spare != y.disks_spare ||
        x.blocks != y.blocks || x.blocks_synced != y.blocks_synced) {
      return false;
    }
  }
  return true;
}

void check(std::string_view text) {
  const auto mdstat = md::parse_mdstat(text);
  gleaner::fuzz::check_reader_error("parse_mdstat", mdstat.error);
  if (!same(mdstat, md::parse_mdstat(text))) violated("parse_mdstat is pure", mdstat.error);
  if (!mdstat.ok()) return;  // the plugin fails the run: no series
  const auto families = md::md_families(mdstat.arrays);
  gleaner::fuzz::check_reader_families("md_families", families);
  std::size_t blocks = 0;
  for (const auto& family : families) {
    if (family.name == "node_md_blocks") blocks = family.samples.size();
  }
  if (blocks != mdstat.arrays.size()) {
    violated("one node_md_blocks series per array", std::to_string(mdstat.arrays.size()) + " arrays read");
  }
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  try {
    check(gleaner::fuzz::as_text(data, size));
  } catch (const std::exception& error) {
    violated("parse_mdstat never throws", error.what());
  }
  return 0;
}
