// The pieces of `--once --verbose`'s report (README "Command line").

#include "daemon/once_report.h"

#include <gtest/gtest.h>

namespace gleaner::daemon {
namespace {

std::string quote_argv(std::vector<std::string> argv) {
  subprocess::Command command;
  command.argv = std::move(argv);
  return command.display();
}

TEST(OnceReport, ArgvIsQuotedSoSpacesAndEmptyWordsShow) {
  EXPECT_EQ(quote_argv({"df", "-P", "-B1", "/a/b_c.d"}), "df -P -B1 /a/b_c.d");
  EXPECT_EQ(quote_argv({"echo", "two words", ""}), "echo 'two words' ''");
  EXPECT_EQ(quote_argv({"it's"}), "'it'\\''s'");
  EXPECT_EQ(quote_argv({"$HOME", "a;b"}), "'$HOME' 'a;b'");
}

TEST(OnceReport, OutputIsPrefixedAndBounded) {
  EXPECT_EQ(show_output(""), "");
  EXPECT_EQ(show_output("a\nb"), "  | a\n  | b\n");
  EXPECT_EQ(show_output("a\n\nb\n"), "  | a\n  | \n  | b\n");
  EXPECT_EQ(show_output("abcdef\n", 3), "  | abc\n  … 4 more bytes\n");
}

}  // namespace
}  // namespace gleaner::daemon
