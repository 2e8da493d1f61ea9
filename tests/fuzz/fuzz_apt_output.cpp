// The apt plugin's readers (plugins/apt/apt_output.h) on the five outputs
// the plugin reads, in one input cut at lines "--8<--" (fuzz_checks.h):
//   0  apt-get -s --ignore-hold dist-upgrade   (parse_simulation)
//   1  apt-get -s autoremove                   (parse_simulation)
//   2  apt-cache policy                        (parse_policy_releases)
//   3  apt-mark showhold                       (parse_holds)
//   4  stat -c '%.9Y %n' FILE…                 (parse_modification_times)
// Asserts: the readers return and never throw; a simulation's error is
// short, valid UTF-8 and one line; the same input reads the same twice;
// when both simulations read, the families pass check_families and count
// what was read (every upgrade pending once, the held ones among them, the
// removals).

#include <algorithm>
#include <cstdint>
#include <exception>
#include <string>

#include "tests/fuzz/fuzz_checks.h"
#include "plugins/apt/apt_output.h"

namespace {

namespace apt = gleaner::plugins::apt;
using gleaner::fuzz::violated;

bool same(const apt::Simulation& a, const apt::Simulation& b) {
  if (a.error != b.error || a.removals != b.removals || a.upgrades.size() != b.upgrades.size()) return false;
  for (std::size_t i = 0; i < a.upgrades.size(); ++i) {
    const auto& x = a.upgrades[i];
    const auto& y = b.upgrades[i];
    if (x.package != y.package || x.arch != y.arch || x.releases != y.releases) return false;
  }
  return true;
}

apt::Simulation simulate(std::string_view text) {
  auto first = apt::parse_simulation(text);
  gleaner::fuzz::check_reader_error("parse_simulation", first.error);
  if (!same(first, apt::parse_simulation(text))) violated("parse_simulation is pure", first.error);
  return first;
}

double sum(const gleaner::metrics::Families& families, std::string_view name) {
  double total = 0;
  for (const auto& family : families) {
    if (family.name != name) continue;
    for (const auto& sample : family.samples) total += sample.value;
  }
  return total;
}

void check(std::string_view text) {
  const auto parts = gleaner::fuzz::split_parts(text, 5);
  apt::AptState state;
  state.upgrade = simulate(parts[0]);
  state.autoremove = simulate(parts[1]);
  state.releases = apt::parse_policy_releases(parts[2]);
  const auto again = apt::parse_policy_releases(parts[2]);
  const bool same_releases = std::equal(
      state.releases.begin(), state.releases.end(), again.begin(), again.end(), [](const auto& a, const auto& b) {
        return a.first == b.first && a.second.origin == b.second.origin && a.second.codename == b.second.codename;
      });
  if (!same_releases) violated("parse_policy_releases is pure", "");
  state.holds = apt::parse_holds(parts[3]);
  const auto times = apt::parse_modification_times(parts[4]);
  apt::apply_file_times(times, state);
  if (!state.upgrade.ok() || !state.autoremove.ok()) return;  // the plugin fails the run

  const auto families = apt::apt_families(state);
  gleaner::fuzz::check_reader_families("apt_families", families);
  const auto upgrades = static_cast<double>(state.upgrade.upgrades.size());
  if (sum(families, "apt_upgrades_pending") != upgrades) {
    violated("apt_upgrades_pending counts every upgrade once", std::to_string(upgrades) + " upgrades read");
  }
  double held = 0;
  for (const auto& upgrade : state.upgrade.upgrades) held += state.holds.contains(upgrade.package) ? 1 : 0;
  if (sum(families, "apt_upgrades_held") != held) {
    violated("apt_upgrades_held counts the held upgrades", std::to_string(held) + " held");
  }
  if (sum(families, "apt_autoremove_pending") != static_cast<double>(state.autoremove.removals)) {
    violated("apt_autoremove_pending counts the removals", "");
  }
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  try {
    check(gleaner::fuzz::as_text(data, size));
  } catch (const std::exception& error) {
    violated("apt's readers never throw", error.what());
  }
  return 0;
}
