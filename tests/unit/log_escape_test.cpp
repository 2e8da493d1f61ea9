// Escaping what reaches the log: one event stays one line, and nothing a
// command prints can move the cursor, clear a line or reorder text.

#include "common/logging/log_escape.h"

#include <gtest/gtest.h>
#include <spdlog/logger.h>
#include <spdlog/sinks/ostream_sink.h>

#include <memory>
#include <sstream>

#include "common/logging/logging.h"

namespace gleaner::logging {
namespace {

TEST(LogEscapeTest, PlainTextPassesUnchanged) {
  const std::string text = "collector disk failed (exit_code): df -P: exit code 1; path C:\\x \"quoted\"";
  EXPECT_TRUE(is_log_safe(text));
  EXPECT_EQ(escape_for_log(text), text);
}

TEST(LogEscapeTest, ControlCharactersBecomeEscapes) {
  EXPECT_EQ(escape_for_log("a\nb"), "a\\nb");
  EXPECT_EQ(escape_for_log("progress\rdone"), "progress\\rdone");
  EXPECT_EQ(escape_for_log("\x1b[2Kforged"), "\\x1b[2Kforged");
  EXPECT_EQ(escape_for_log("tab\there"), "tab\\there");
  EXPECT_EQ(escape_for_log(std::string("nul\0bell\a del\x7f", 14)), "nul\\x00bell\\x07 del\\x7f");
  EXPECT_FALSE(is_log_safe("a\rb"));
}

TEST(LogEscapeTest, ValidUtf8PassesButNotWhatReordersOrBreaksLines) {
  EXPECT_EQ(escape_for_log("température 20 °C, 東京"), "température 20 °C, 東京");
  EXPECT_EQ(escape_for_log("\xc2\x9b" "31m"), "\\u009b31m");          // C1 CSI
  EXPECT_EQ(escape_for_log("a\xc2\x85" "b"), "a\\u0085b");            // NEL
  EXPECT_EQ(escape_for_log("a\xe2\x80\xa8" "b"), "a\\u2028b");        // line separator
  EXPECT_EQ(escape_for_log("user\xe2\x80\xae" "nimda"), "user\\u202enimda");  // right-to-left override
}

TEST(LogEscapeTest, BytesThatAreNotUtf8BecomeHexEscapes) {
  EXPECT_EQ(escape_for_log("\xff\xfe"), "\\xff\\xfe");
  EXPECT_EQ(escape_for_log("\x9b" "31m"), "\\x9b31m");                // a raw C1 CSI byte
  EXPECT_EQ(escape_for_log("\xc0\xaf"), "\\xc0\\xaf");                // overlong '/'
  EXPECT_EQ(escape_for_log("\xed\xa0\x80"), "\\xed\\xa0\\x80");        // a surrogate
  EXPECT_EQ(escape_for_log("cut \xe6\x9d"), "cut \\xe6\\x9d");         // truncated sequence
}

// The formatter the daemon logs with escapes every message, whoever wrote
// the call: one place, so no call site can forget.
TEST(LogEscapeTest, TheDaemonsFormatterEscapesEveryMessage) {
  for (const bool journal : {false, true}) {
    std::ostringstream out;
    auto sink = std::make_shared<spdlog::sinks::ostream_sink_st>(out);
    spdlog::logger logger("test", sink);
    logger.set_formatter(make_formatter(journal));
    logger.warn("collector {} failed: {}", "evil\r\x1b[2K", "line one\nline two");
    const std::string line = out.str();
    EXPECT_NE(line.find("collector evil\\r\\x1b[2K failed: line one\\nline two"), std::string::npos) << line;
    // One event, one line: the only newline is the one that ends it.
    EXPECT_EQ(line.find('\n'), line.size() - 1) << line;
    EXPECT_EQ(line.find('\r'), std::string::npos);
    EXPECT_EQ(line.find('\x1b'), std::string::npos);
    if (journal) {
      EXPECT_EQ(line.rfind("<4>", 0), 0u) << line;
    }
  }
}

}  // namespace
}  // namespace gleaner::logging
