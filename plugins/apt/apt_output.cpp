#include "plugins/apt/apt_output.h"

#include <cstdlib>

#include "common/metrics/names.h"
#include "common/parsers/parse_error.h"

namespace gleaner::plugins::apt {
namespace {

using metrics::Label;
using metrics::MetricType;
using metrics::Sample;

// Cuts the next line off the front of text (without its newline).
std::string_view next_line(std::string_view& text) {
  const auto newline = text.find('\n');
  std::string_view line = text.substr(0, newline);
  text.remove_prefix(newline == std::string_view::npos ? text.size() : newline + 1);
  if (!line.empty() && line.back() == '\r') line.remove_suffix(1);
  return line;
}

std::string_view trim(std::string_view text) {
  const auto start = text.find_first_not_of(" \t");
  if (start == std::string_view::npos) return {};
  return text.substr(start, text.find_last_not_of(" \t") - start + 1);
}

// "Inst NAME [OLD] (NEW REL, REL [ARCH])…", after "Inst ". Only upgrades
// (with "[OLD]") are returned; nullopt for a new package; error on garbage.
std::optional<Upgrade> parse_inst(std::string_view rest, bool& malformed) {
  malformed = true;
  const auto name_end = rest.find(' ');
  if (name_end == 0 || name_end == std::string_view::npos) return std::nullopt;
  Upgrade upgrade{std::string(rest.substr(0, name_end)), {}, {}};
  rest.remove_prefix(name_end + 1);
  bool installed = false;
  if (rest.starts_with('[')) {
    const auto close = rest.find("] ");
    if (close == std::string_view::npos) return std::nullopt;
    installed = true;
    rest.remove_prefix(close + 2);
  }
  if (!rest.starts_with('(')) return std::nullopt;
  const auto close = rest.find(')');
  if (close == std::string_view::npos) return std::nullopt;
  std::string_view inside = rest.substr(1, close - 1);  // NEW RELEASES [ARCH]
  const auto arch_open = inside.rfind(" [");
  if (arch_open == std::string_view::npos || !inside.ends_with(']')) return std::nullopt;
  upgrade.arch = std::string(inside.substr(arch_open + 2, inside.size() - arch_open - 3));
  inside = inside.substr(0, arch_open);
  const auto version_end = inside.find(' ');
  if (upgrade.arch.empty() || version_end == 0) return std::nullopt;
  malformed = false;
  if (!installed) return std::nullopt;
  // A package from no release (installed from a local .deb) has none.
  std::string_view releases = version_end == std::string_view::npos ? "" : inside.substr(version_end + 1);
  while (!releases.empty()) {
    const auto comma = releases.find(", ");
    upgrade.releases.emplace_back(trim(releases.substr(0, comma)));
    releases.remove_prefix(comma == std::string_view::npos ? releases.size() : comma + 2);
  }
  return upgrade;
}

// "k1=v1,k2=v2" → the value of key, or "".
std::string field(std::string_view pairs, std::string_view key) {
  while (!pairs.empty()) {
    const auto comma = pairs.find(',');
    const auto pair = pairs.substr(0, comma);
    if (pair.size() > key.size() && pair.starts_with(key) && pair[key.size()] == '=') {
      return std::string(pair.substr(key.size() + 1));
    }
    pairs.remove_prefix(comma == std::string_view::npos ? pairs.size() : comma + 1);
  }
  return {};
}

// apt_info.py's label for one upgrade: the sorted, distinct
// "origin:codename/archive" of the releases carrying the candidate, joined
// by ",". A release the policy does not list keeps apt-get's own spelling.
std::string origin_label(const Upgrade& upgrade, const AptState& state) {
  std::set<std::string> origins;
  for (const auto& printed : upgrade.releases) {
    const auto it = state.releases.find(printed);
    const auto slash = printed.rfind('/');
    if (it == state.releases.end() || slash == std::string::npos) {
      origins.insert(printed);
      continue;
    }
    origins.insert(it->second.origin + ":" + it->second.codename + printed.substr(slash));
  }
  std::string joined;
  for (const auto& origin : origins) joined += (joined.empty() ? "" : ",") + origin;
  // A label value must be valid UTF-8, or the series would be dropped.
  return metrics::sanitize_utf8(joined);
}

// One family of counts by (origin, arch), in apt_info.py's order; with no
// upgrade at all, its single {origin="",arch=""} 0.
void add_counts(metrics::FamilyBuilder& builder, const char* name, const char* help,
                const std::map<std::pair<std::string, std::string>, double>& counts) {
  builder.family(name, MetricType::gauge, help);
  if (counts.empty()) {
    builder.add(name, MetricType::gauge, Sample{name, {Label{"origin", ""}, Label{"arch", ""}}, 0});
  }
  for (const auto& [key, count] : counts) {
    builder.add(name, MetricType::gauge, Sample{name, {Label{"origin", key.first}, Label{"arch", key.second}}, count});
  }
}

}  // namespace

Simulation parse_simulation(std::string_view text) {
  Simulation simulation;
  std::size_t line_number = 0;
  bool apt_seen = false;
  while (!text.empty()) {
    const auto line = next_line(text);
    ++line_number;
    if (line.starts_with("Reading package lists")) apt_seen = true;
    if (line.starts_with("Remv ")) ++simulation.removals;
    if (!line.starts_with("Inst ")) continue;
    bool malformed = false;
    auto upgrade = parse_inst(line.substr(5), malformed);
    if (malformed) {
      // Quoted short: the line may be anything, of any length.
      simulation.error = parsers::at_line(line_number, "not an apt-get Inst line: " + parsers::quote(line));
      return simulation;
    }
    if (upgrade) simulation.upgrades.push_back(std::move(*upgrade));
  }
  if (!apt_seen) simulation.error = "not apt-get -s output: no \"Reading package lists\"";
  return simulation;
}

std::map<std::string, Release, std::less<>> parse_policy_releases(std::string_view text) {
  std::map<std::string, Release, std::less<>> releases;
  while (!text.empty()) {
    const auto line = trim(next_line(text));
    if (!line.starts_with("release ")) continue;
    const auto pairs = line.substr(8);
    const auto label = field(pairs, "l");
    const auto version = field(pairs, "v");
    const auto archive = field(pairs, "a");
    if (archive.empty()) continue;  // a release apt-get could not name either
    // As apt prints a release in its simulation: [Label:][Version/]Archive.
    std::string key = (label.empty() ? "" : label + ":") + (version.empty() ? "" : version + "/") + archive;
    releases.emplace(std::move(key), Release{field(pairs, "o"), field(pairs, "n")});
  }
  return releases;
}

std::set<std::string, std::less<>> parse_holds(std::string_view text) {
  std::set<std::string, std::less<>> holds;
  while (!text.empty()) {
    const auto line = trim(next_line(text));
    if (!line.empty()) holds.emplace(line);
  }
  return holds;
}

std::map<std::string, double, std::less<>> parse_modification_times(std::string_view text) {
  std::map<std::string, double, std::less<>> times;
  while (!text.empty()) {
    const auto line = next_line(text);
    const auto space = line.find(' ');
    if (space == std::string_view::npos) continue;
    const std::string seconds(line.substr(0, space));
    char* end = nullptr;
    const double value = std::strtod(seconds.c_str(), &end);
    if (end == seconds.c_str() + seconds.size() && !seconds.empty()) times[std::string(line.substr(space + 1))] = value;
  }
  return times;
}

void apply_file_times(const std::map<std::string, double, std::less<>>& times, AptState& state) {
  state.cache_timestamp.reset();
  if (const auto stamp = times.find(kPeriodicStamp); stamp != times.end()) {
    state.cache_timestamp = stamp->second;
  } else if (const auto partial = times.find(kListsPartial); partial != times.end()) {
    state.cache_timestamp = partial->second;
  }
  state.reboot_required = times.contains(kRebootRequired);
}

metrics::Families apt_families(const AptState& state) {
  std::map<std::pair<std::string, std::string>, double> pending, held;
  for (const auto& upgrade : state.upgrade.upgrades) {
    const std::pair key{origin_label(upgrade, state), metrics::sanitize_utf8(upgrade.arch)};
    pending[key] += 1;
    if (state.holds.contains(upgrade.package)) held[key] += 1;
  }
  metrics::FamilyBuilder builder;
  add_counts(builder, "apt_upgrades_pending", "Apt packages pending updates by origin.", pending);
  add_counts(builder, "apt_upgrades_held", "Apt packages pending updates but held back.", held);
  builder.family("apt_autoremove_pending", MetricType::gauge, "Apt packages pending autoremoval.");
  builder.add("apt_autoremove_pending", MetricType::gauge,
              Sample{"apt_autoremove_pending", {}, static_cast<double>(state.autoremove.removals)});
  // As apt_info.py: no series when no file told the time.
  if (state.cache_timestamp) {
    builder.family("apt_package_cache_timestamp_seconds", MetricType::gauge, "Apt update last run time.");
    builder.add("apt_package_cache_timestamp_seconds", MetricType::gauge,
                Sample{"apt_package_cache_timestamp_seconds", {}, *state.cache_timestamp});
  }
  builder.family("node_reboot_required", MetricType::gauge, "Node reboot is required for software updates.");
  builder.add("node_reboot_required", MetricType::gauge,
              Sample{"node_reboot_required", {}, state.reboot_required ? 1.0 : 0.0});
  return builder.take();
}

}  // namespace gleaner::plugins::apt
