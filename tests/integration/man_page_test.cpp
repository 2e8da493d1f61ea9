// The manual page gleaner(1), daemon/gleaner.1 (README "Installing and
// running under systemd"): its OPTIONS are the flags the real binary's
// --help prints and README's "Command line" table describes, no more and
// no fewer, so that the three cannot drift apart; it names the version the
// binary reports; and man renders it without a warning.

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <chrono>
#include <fstream>
#include <regex>
#include <set>
#include <sstream>
#include <string>

#include "tests/support/child_command.h"
#include "tests/support/daemon_process.h"

namespace gleaner::testing {
namespace {

using namespace std::chrono_literals;

const std::string kManPage = std::string(GLEANER_SOURCE_DIR) + "/daemon/gleaner.1";

std::string read_file(const std::string& path) {
  std::ifstream in(path);
  EXPECT_TRUE(in) << path;
  std::ostringstream text;
  text << in.rdbuf();
  return text.str();
}

// Every long flag (--config, --web.config.file) written in text.
std::set<std::string> long_flags(const std::string& text) {
  static const std::regex flag(R"(--[a-z][a-z.-]*[a-z])");
  std::set<std::string> flags;
  for (auto it = std::sregex_iterator(text.begin(), text.end(), flag); it != std::sregex_iterator(); ++it) {
    flags.insert(it->str());
  }
  return flags;
}

// The flags that head the items (the line after each .TP) of the man page's
// OPTIONS section, roff's escaped minus (\-) read as the hyphen it prints.
std::set<std::string> man_page_options(const std::string& roff) {
  std::istringstream lines(roff);
  std::string headings;
  bool in_options = false;
  bool heading_next = false;
  for (std::string line; std::getline(lines, line);) {
    if (line.starts_with(".SH")) in_options = line == ".SH OPTIONS";
    if (!in_options) continue;
    if (heading_next) headings += line + "\n";
    heading_next = line == ".TP";
  }
  return long_flags(std::regex_replace(headings, std::regex(R"(\\-)"), "-"));
}

// The flags of the first column of README's "## Command line" table.
std::set<std::string> readme_command_line_flags() {
  std::istringstream lines(read_file(std::string(GLEANER_SOURCE_DIR) + "/README.md"));
  std::string first_column;
  bool in_section = false;
  for (std::string line; std::getline(lines, line);) {
    if (line.starts_with("## ")) in_section = line == "## Command line";
    if (!in_section || !line.starts_with("| `--")) continue;
    first_column += line.substr(0, line.find(" |", 1)) + "\n";
  }
  return long_flags(first_column);
}

TEST(ManPage, OptionsAreTheFlagsHelpPrints) {
  const auto help = run_gleaner({"--help"}, 60s);
  ASSERT_FALSE(help.timed_out);
  ASSERT_EQ(help.exit_code, 0) << help.err;
  const auto printed = long_flags(help.out);
  ASSERT_GE(printed.size(), 10u) << help.out;
  EXPECT_EQ(man_page_options(read_file(kManPage)), printed)
      << "daemon/gleaner.1's OPTIONS must be the flags `gleaner --help` prints";
}

TEST(ManPage, OptionsAreTheFlagsReadmeDescribes) {
  const auto described = readme_command_line_flags();
  ASSERT_GE(described.size(), 10u);
  EXPECT_EQ(man_page_options(read_file(kManPage)), described)
      << "daemon/gleaner.1's OPTIONS must be the flags of README's \"Command line\" table";
}

TEST(ManPage, NamesTheVersionTheBinaryReports) {
  const auto version = run_gleaner({"--version"}, 60s);
  ASSERT_EQ(version.exit_code, 0) << version.err;
  std::string reported = version.out;
  while (!reported.empty() && reported.back() == '\n') reported.pop_back();
  ASSERT_THAT(reported, ::testing::StartsWith("gleaner "));
  // .TH GLEANER 1 "date" "gleaner X.Y.Z" "User Commands"
  std::istringstream lines(read_file(kManPage));
  std::string title;
  for (std::string line; std::getline(lines, line);) {
    if (line.starts_with(".TH ")) title = line;
  }
  ASSERT_THAT(title, ::testing::StartsWith(".TH GLEANER 1 \""));
  EXPECT_THAT(title, ::testing::EndsWith("\" \"" + reported + "\" \"User Commands\""));
}

// man-db's man, which lintian also runs on the page (package man-db).
TEST(ManPage, RendersWithoutWarnings) {
  const auto rendered = run_child({"man", "--warnings", "-E", "UTF-8", "-l", kManPage}, "", 60s);
  ASSERT_FALSE(rendered.timed_out);
  EXPECT_EQ(rendered.exit_code, 0) << rendered.err;
  EXPECT_EQ(rendered.err, "");
  EXPECT_THAT(rendered.out, ::testing::HasSubstr("--web.config.file PATH"));
}

}  // namespace
}  // namespace gleaner::testing
