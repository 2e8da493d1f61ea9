#pragma once
// Reading what apt's own commands print, and turning it into the series of
// Debian's apt_info.py (prometheus-node-exporter-collectors 0.0~git20230203,
// the version Debian 12 ships). Pure: the plugin runs the commands.
//
// apt_info.py asks python-apt; gleaner asks apt-get's simulation, which
// prints the same facts: every upgrade of an installed package with its
// candidate's architecture and the releases that carry it ("Inst p [old]
// (new Label:Version/Archive, … [arch])"), and every auto-removal ("Remv").
// The releases' origin and codename, which apt_info.py labels with, come
// from `apt-cache policy`.

#include <cstddef>
#include <map>
#include <optional>
#include <set>
#include <string>
#include <string_view>
#include <vector>

#include "common/metrics/sample.h"

namespace gleaner::plugins::apt {

// One "Inst" line of an installed package (a new package, pulled in as a
// dependency, has no "[old]" and is not an upgrade).
struct Upgrade {
  std::string package;  // as apt prints it: "name" or "name:arch"
  std::string arch;     // the candidate's: "amd64", "all"
  std::vector<std::string> releases;  // "Label:Version/Archive", as printed
};

struct Simulation {
  std::vector<Upgrade> upgrades;
  std::size_t removals = 0;  // "Remv" lines
  std::string error;         // "line 3: …"; empty when the output was read
  bool ok() const { return error.empty(); }
};

// `apt-get -s …` output.
Simulation parse_simulation(std::string_view text);

struct Release {
  std::string origin;    // o=
  std::string codename;  // n=
};

// `apt-cache policy` (no arguments): its "release v=…,o=…,a=…,n=…,l=…" lines,
// keyed the way apt-get -s prints a release: "Label:Version/Archive".
std::map<std::string, Release, std::less<>> parse_policy_releases(std::string_view text);

// `apt-mark showhold`: one package a line.
std::set<std::string, std::less<>> parse_holds(std::string_view text);

// `stat -c '%.9Y %n' FILE…`: each file that exists, with its modification
// time in seconds since the epoch.
std::map<std::string, double, std::less<>> parse_modification_times(std::string_view text);

struct AptState {
  Simulation upgrade;      // of `apt-get -s --ignore-hold dist-upgrade`
  Simulation autoremove;   // of `apt-get -s autoremove`
  std::map<std::string, Release, std::less<>> releases;
  std::set<std::string, std::less<>> holds;
  std::optional<double> cache_timestamp;  // seconds since the epoch
  bool reboot_required = false;
};

// The files `stat` is asked about, and what their times say: the cache time
// (apt_info.py reads the APT::Periodic stamp when APT::Periodic updates the
// lists, else the lists' partial/ directory; the stamp only exists where it
// did, so it is taken whenever it exists) and the reboot flag.
inline constexpr const char* kPeriodicStamp = "/var/lib/apt/periodic/update-success-stamp";
inline constexpr const char* kListsPartial = "/var/lib/apt/lists/partial";
inline constexpr const char* kRebootRequired = "/run/reboot-required";
void apply_file_times(const std::map<std::string, double, std::less<>>& times, AptState& state);

// apt_upgrades_pending, apt_upgrades_held, apt_autoremove_pending,
// apt_package_cache_timestamp_seconds (when known), node_reboot_required.
metrics::Families apt_families(const AptState& state);

}  // namespace gleaner::plugins::apt
