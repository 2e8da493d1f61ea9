// Reading apt's outputs into apt_info.py's series: real outputs of a
// Debian 12 host with 128 pending upgrades, checked against what Debian's
// own apt_info.py printed for the same host (see fixtures/apt/SOURCES.md).

#include "plugins/apt/apt_output.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <set>
#include <sstream>

#include "tests/support/family_series.h"
#include "tests/support/fixtures.h"
#include "common/metrics/names.h"
#include "common/metrics/validate.h"

namespace gleaner::plugins::apt {
namespace {

using gleaner::testing::help_texts;
using gleaner::testing::read_fixture;
using gleaner::testing::series_in;
using gleaner::testing::series_of;
using ::testing::Contains;
using ::testing::Pair;
using ::testing::HasSubstr;

const std::set<std::string> kCounts = {"apt_upgrades_pending", "apt_upgrades_held", "apt_autoremove_pending"};

AptState real_state() {
  AptState state;
  state.upgrade = parse_simulation(read_fixture("apt/debian12_dist_upgrade.txt"));
  state.autoremove = parse_simulation(read_fixture("apt/debian12_autoremove.txt"));
  state.releases = parse_policy_releases(read_fixture("apt/debian12_policy.txt"));
  return state;
}

TEST(AptOutput, ReadsEveryUpgradeOfARealSimulation) {
  const auto simulation = parse_simulation(read_fixture("apt/debian12_dist_upgrade.txt"));
  ASSERT_TRUE(simulation.ok()) << simulation.error;
  ASSERT_EQ(simulation.upgrades.size(), 128u);
  EXPECT_EQ(simulation.removals, 0u);
  const auto& first = simulation.upgrades.front();
  EXPECT_EQ(first.package, "base-files");
  EXPECT_EQ(first.arch, "amd64");
  EXPECT_THAT(first.releases, ::testing::ElementsAre("Debian:12.15/oldstable"));
}

TEST(AptOutput, UpgradesAreThePackagesAptListCallsUpgradable) {
  std::set<std::string> simulated, listed;
  for (const auto& upgrade : parse_simulation(read_fixture("apt/debian12_dist_upgrade.txt")).upgrades) {
    simulated.insert(upgrade.package);
  }
  std::istringstream in(read_fixture("apt/debian12_apt_list_upgradable.txt"));
  for (std::string line; std::getline(in, line);) {
    if (line.find("[upgradable from:") != std::string::npos) listed.insert(line.substr(0, line.find('/')));
  }
  EXPECT_EQ(simulated, listed);
}

TEST(AptOutput, CountsTheRemovalsOfARealAutoremove) {
  const auto simulation = parse_simulation(read_fixture("apt/debian12_autoremove.txt"));
  ASSERT_TRUE(simulation.ok()) << simulation.error;
  EXPECT_EQ(simulation.removals, 3u);
  EXPECT_TRUE(simulation.upgrades.empty());
}

TEST(AptOutput, PolicyGivesEachReleaseItsOriginAndCodename) {
  const auto releases = parse_policy_releases(read_fixture("apt/debian12_policy.txt"));
  ASSERT_TRUE(releases.contains("Debian-Security:12/oldstable-security"));
  EXPECT_EQ(releases.find("Debian-Security:12/oldstable-security")->second.origin, "Debian");
  EXPECT_EQ(releases.find("Debian-Security:12/oldstable-security")->second.codename, "bookworm-security");
  ASSERT_TRUE(releases.contains("Debian:12.15/oldstable"));
  EXPECT_EQ(releases.find("Debian:12.15/oldstable")->second.codename, "bookworm");
  EXPECT_EQ(releases.size(), 4u);  // and dpkg's status file, "release a=now"
}

TEST(AptOutput, SeriesAreThoseOfDebiansAptInfoPy) {
  const auto families = apt_families(real_state());
  EXPECT_EQ(series_of(families, kCounts), series_in(read_fixture("apt/debian12_apt_info_py.prom"), kCounts));
}

TEST(AptOutput, HeldPackagesAreThoseOfDebiansAptInfoPy) {
  auto state = real_state();
  state.upgrade = parse_simulation(read_fixture("apt/held_dist_upgrade.txt"));
  ASSERT_TRUE(state.upgrade.ok()) << state.upgrade.error;
  state.holds = parse_holds(read_fixture("apt/held_showhold.txt"));
  EXPECT_EQ(series_of(apt_families(state), kCounts), series_in(read_fixture("apt/held_apt_info_py.prom"), kCounts));
}

TEST(AptOutput, HelpTextsAreThoseOfDebiansAptInfoPy) {
  auto state = real_state();
  state.cache_timestamp = 1796007339.164446;
  const auto families = apt_families(state);
  const auto helps = help_texts(read_fixture("apt/debian12_apt_info_py.prom"));
  for (const auto& [name, help] : helps) {
    const auto it = std::find_if(families.begin(), families.end(), [&](const auto& f) { return f.name == name; });
    ASSERT_NE(it, families.end()) << name;
    EXPECT_EQ(it->help, help);
    EXPECT_EQ(it->type, metrics::MetricType::gauge);
  }
  EXPECT_EQ(helps.size(), 5u);
}

TEST(AptOutput, NothingPendingIsOneZeroWithEmptyLabels) {
  AptState state;
  state.upgrade = parse_simulation(read_fixture("apt/debian12_autoremove.txt"));
  const auto series = series_of(apt_families(state), kCounts);
  EXPECT_THAT(series, Contains(Pair(R"(apt_upgrades_pending{origin="",arch=""})", 0.0)));
  EXPECT_THAT(series, Contains(Pair(R"(apt_upgrades_held{origin="",arch=""})", 0.0)));
}

TEST(AptOutput, RebootAndCacheTimeFromStat) {
  // stat -c '%.9Y %n' of the three files on this host, which never ran
  // APT::Periodic (stat said so for the stamp on stderr), with a reboot due.
  const auto times = parse_modification_times(
      "1796007339.164446210 /var/lib/apt/lists/partial\n1796000000.000000000 /run/reboot-required\n");
  ASSERT_EQ(times.size(), 2u);
  AptState state;
  apply_file_times(times, state);
  EXPECT_TRUE(state.reboot_required);
  EXPECT_DOUBLE_EQ(*state.cache_timestamp, 1796007339.164446210);
  EXPECT_THAT(series_of(apt_families(state), {"node_reboot_required"}), Contains(Pair("node_reboot_required", 1.0)));
}

TEST(AptOutput, ThePeriodicStampWinsWhenItExists) {
  AptState state;
  apply_file_times({{kPeriodicStamp, 1700000000.5}, {kListsPartial, 1796007339.0}}, state);
  EXPECT_EQ(state.cache_timestamp, 1700000000.5);
  EXPECT_FALSE(state.reboot_required);
  EXPECT_THAT(series_of(apt_families(state), {"node_reboot_required"}), Contains(Pair("node_reboot_required", 0.0)));
}

TEST(AptOutput, NoCacheTimeNoSeries) {
  AptState state;
  apply_file_times({}, state);
  for (const auto& family : apt_families(state)) EXPECT_NE(family.name, "apt_package_cache_timestamp_seconds");
}

TEST(AptOutput, ANewPackageIsNoUpgrade) {
  // A dependency a dist-upgrade would install has no "[old]"; apt_info.py
  // counts only installed packages.
  const auto simulation = parse_simulation(
      "Reading package lists...\n"
      "Inst libnew1 (1.0-1 Debian:12.15/oldstable [amd64])\n"
      "Inst bash [5.2.15-2+b8] (5.2.15-2+b13 Debian:12.15/oldstable [amd64])\n");
  ASSERT_TRUE(simulation.ok()) << simulation.error;
  ASSERT_EQ(simulation.upgrades.size(), 1u);
  EXPECT_EQ(simulation.upgrades[0].package, "bash");
}

TEST(AptOutput, GarbageIsAnError) {
  EXPECT_THAT(parse_simulation("Reading package lists...\nInst bash [5.2] garbage\n").error, HasSubstr("line 2"));
  EXPECT_THAT(parse_simulation("E: Could not open lock file\n").error, HasSubstr("not apt-get -s output"));
}

// Found by tests/fuzz (fuzz_apt_output): a release or architecture that is
// not valid UTF-8 went into the origin and arch labels as printed, and the
// admission would have dropped the series (and the upgrade with it).
TEST(AptOutput, LabelsAreValidUtf8WhateverAptPrinted) {
  AptState state;
  state.upgrade = parse_simulation(
      "Reading package lists...\n"
      "Inst bash [5.2.15-2+b8] (5.2.15-2+b13 Debian:12.15/old\xffstable [amd\xfe" "64])\n");
  ASSERT_TRUE(state.upgrade.ok()) << state.upgrade.error;
  state.autoremove = parse_simulation("Reading package lists...\n");
  const auto families = apt_families(state);
  EXPECT_EQ(metrics::check_families(families), "");
  EXPECT_THAT(series_of(families, {"apt_upgrades_pending"}),
              Contains(Pair("apt_upgrades_pending{origin=\"Debian:12.15/old\xef\xbf\xbdstable\",arch=\"amd\xef\xbf\xbd"
                            "64\"}",
                            1)));
}

// As the parsers' messages: a line of any length or bytes is quoted short,
// printable and valid UTF-8 (the mdstat and chrony readers' fuzz targets
// found theirs quoting whole lines; this reader did the same).
TEST(AptOutput, AnErrorQuotesItsLineShort) {
  const auto error = parse_simulation("Reading package lists...\nInst " + std::string(100000, 'x') + "\xff\r\n").error;
  EXPECT_THAT(error, HasSubstr("line 2: not an apt-get Inst line: \"Inst xxx"));
  EXPECT_LT(error.size(), 300u);
  EXPECT_EQ(metrics::sanitize_utf8(error), error);
}

}  // namespace
}  // namespace gleaner::plugins::apt
