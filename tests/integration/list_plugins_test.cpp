// `gleaner --list-plugins` (README "Command line"): the real binary lists
// every registered plugin with what it does and its own keys, and every
// plugin README describes is among them.

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <chrono>
#include <fstream>
#include <map>
#include <regex>
#include <set>
#include <sstream>
#include <string>

#include "tests/support/daemon_process.h"

namespace gleaner::testing {
namespace {

using namespace std::chrono_literals;
using ::testing::Contains;
using ::testing::IsSupersetOf;

// "name: description" lines, each followed by "  key: summary" lines.
std::map<std::string, std::set<std::string>> listed_plugins(const std::string& text) {
  std::map<std::string, std::set<std::string>> plugins;
  std::istringstream lines(text);
  std::string current;
  for (std::string line; std::getline(lines, line);) {
    const auto colon = line.find(": ");
    if (colon == std::string::npos) continue;
    if (line.rfind("  ", 0) == 0) {
      plugins[current].insert(line.substr(2, colon - 2));
    } else {
      current = line.substr(0, colon);
      EXPECT_GT(line.size(), colon + 2) << "no description: " << line;
      plugins[current];
    }
  }
  return plugins;
}

TEST(ListPlugins, EveryRegisteredPluginWithItsOptions) {
  const auto run = run_gleaner({"--list-plugins"}, 60s);
  ASSERT_FALSE(run.timed_out);
  ASSERT_EQ(run.exit_code, 0) << run.err;
  const auto plugins = listed_plugins(run.out);
  std::set<std::string> names;
  for (const auto& [name, options] : plugins) names.insert(name);
  // The plugins built in; a new one is added here as it is registered.
  EXPECT_EQ(names, (std::set<std::string>{"apt", "chrony", "df", "exec", "ipmi", "mdraid", "nvme", "smartmon",
                                          "textfile"}))
      << run.out;
  EXPECT_THAT(plugins.at("df"), IsSupersetOf({"options.local_only", "options.include_fs_types",
                                              "options.exclude_fs_types", "options.exclude_mountpoints"}));
  EXPECT_THAT(plugins.at("exec"), IsSupersetOf({"command", "shell", "stdin", "env", "inherit_env", "working_dir",
                                                "accept_exit_codes", "mode", "framing", "parser",
                                                "allow_background", "quiet_period"}));
  EXPECT_THAT(plugins.at("chrony"), IsSupersetOf({"options.host"}));
  EXPECT_THAT(plugins.at("mdraid"), IsSupersetOf({"options.path"}));
  EXPECT_THAT(plugins.at("smartmon"), IsSupersetOf({"options.devices", "options.smartctl", "options.wakeup_disks"}));
  EXPECT_THAT(plugins.at("nvme"), IsSupersetOf({"options.nvme"}));
  EXPECT_THAT(plugins.at("ipmi"), IsSupersetOf({"options.ipmitool"}));
  EXPECT_THAT(plugins.at("textfile"),
              IsSupersetOf({"options.directory", "options.max_age", "options.max_file_size"}));
  EXPECT_THAT(run.out, ::testing::HasSubstr("  options.local_only: default true"));
}

TEST(ListPlugins, EveryPluginReadmeDescribesIsListed) {
  std::ifstream readme(std::string(GLEANER_SOURCE_DIR) + "/README.md");
  ASSERT_TRUE(readme);
  const auto listed = listed_plugins(run_gleaner({"--list-plugins"}, 60s).out);
  const std::regex section("^### The ([a-z_]+) plugin$");
  int sections = 0;
  for (std::string line; std::getline(readme, line);) {
    std::smatch match;
    if (!std::regex_match(line, match, section)) continue;
    ++sections;
    EXPECT_TRUE(listed.contains(match[1])) << match[1] << " is described in README but not listed";
  }
  EXPECT_GE(sections, 3);
}

}  // namespace
}  // namespace gleaner::testing
