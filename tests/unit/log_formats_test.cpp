// The log formats (README "What is logged") on hostile text: whatever a
// command prints and a log line quotes (newlines, quotes, backslashes,
// control bytes, bytes that are not UTF-8), a json line stays one JSON
// document, a logfmt line one line of pairs that decode back to the escaped
// text, and journald gets one field per value, none holding a newline.

#include "common/logging/log_formats.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <nlohmann/json.hpp>
#include <spdlog/spdlog.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cstdio>
#include <map>
#include <string>

#include "common/logging/event_sink.h"
#include "common/logging/log_escape.h"
#include "common/logging/logging.h"
#include "tests/support/logfmt_reader.h"

namespace gleaner::logging {
namespace {

using ::testing::ElementsAre;
using ::testing::HasSubstr;
using gleaner::testing::parse_logfmt;

// Newlines that would forge a second event, a quote and a backslash that
// would end a JSON string or a logfmt value early, an escape sequence, a
// NUL, and bytes that are not UTF-8 (a JSON encoder's usual way to throw).
constexpr char kHostileBytes[] = "line one\nlevel=error msg=\"forged\"\r\x1b[2K\\\"}\0\x7f\xff\xfe tail";
const std::string kHostile(kHostileBytes, sizeof kHostileBytes - 1);

// 2026-11-30T06:22:23.123Z
const auto kTime = std::chrono::system_clock::time_point(std::chrono::milliseconds(1796019743123));

Event hostile_event(const Fields& fields) {
  return Event{kTime, spdlog::level::warn, kHostile, fields};
}

bool is_valid_utf8(const std::string& text) {
  try {
    (void)nlohmann::json(text).dump();  // strict: throws on invalid UTF-8
    return true;
  } catch (const nlohmann::json::exception&) {
    return false;
  }
}

TEST(LogFormatsTest, TimeIsRfc3339InUtcWithMilliseconds) {
  EXPECT_EQ(rfc3339_utc(kTime), "2026-11-30T06:22:23.123Z");
  EXPECT_EQ(rfc3339_utc(std::chrono::system_clock::time_point(std::chrono::seconds(1796019743))),
            "2026-11-30T06:22:23.000Z");
}

TEST(LogFormatsTest, JsonIsOneDocumentOnOneLineWithTheFieldsAsKeys) {
  const Fields fields{{"collector", "disk"}, {"reason", "exit_code"}, {"exit_code", 3}, {"stderr", kHostile}};
  const auto line = format_json(hostile_event(fields));
  EXPECT_EQ(line.find('\n'), std::string::npos) << line;
  EXPECT_EQ(line.find('\r'), std::string::npos) << line;
  EXPECT_EQ(line.find('\x1b'), std::string::npos) << line;
  EXPECT_TRUE(is_valid_utf8(line)) << line;
  const auto parsed = nlohmann::json::parse(line);  // throws, failing the test, if it is not JSON
  EXPECT_EQ(parsed.at("time"), "2026-11-30T06:22:23.123Z");
  EXPECT_EQ(parsed.at("level"), "warning");
  // The value is the text every format shows: escaped, the same as in text.
  EXPECT_EQ(parsed.at("message"), escape_for_log(kHostile));
  EXPECT_EQ(parsed.at("stderr"), escape_for_log(kHostile));
  EXPECT_EQ(parsed.at("collector"), "disk");
  EXPECT_EQ(parsed.at("reason"), "exit_code");
  EXPECT_TRUE(parsed.at("exit_code").is_number_integer());
  EXPECT_EQ(parsed.at("exit_code"), 3);
  // time, level and message come first, where a reader looks.
  EXPECT_EQ(line.rfind("{\"time\":\"2026-11-30T06:22:23.123Z\",\"level\":\"warning\",\"message\":", 0), 0u) << line;
}

TEST(LogFormatsTest, LogfmtIsOneLineOfPairsThatDecodeBackToTheEscapedText) {
  const Fields fields{{"collector", "disk"}, {"command", "df -P -T"}, {"empty", ""}, {"stderr", kHostile},
                      {"exit_code", -1}};
  const auto line = format_logfmt(hostile_event(fields));
  EXPECT_EQ(line.find('\n'), std::string::npos) << line;
  EXPECT_TRUE(is_valid_utf8(line)) << line;
  EXPECT_EQ(line.rfind("time=2026-11-30T06:22:23.123Z level=warning msg=\"", 0), 0u) << line;
  const auto read = parse_logfmt(line);
  ASSERT_TRUE(read) << "not logfmt: " << line;
  const auto& pairs = *read;
  EXPECT_EQ(pairs.at("msg"), escape_for_log(kHostile));
  EXPECT_EQ(pairs.at("stderr"), escape_for_log(kHostile));
  EXPECT_EQ(pairs.at("command"), "df -P -T");
  EXPECT_EQ(pairs.at("empty"), "");
  EXPECT_EQ(pairs.at("exit_code"), "-1");
  // The forged "level=error" stays inside the quoted message.
  EXPECT_EQ(pairs.at("level"), "warning");
  EXPECT_THAT(line, HasSubstr(" collector=disk "));
  EXPECT_THAT(line, HasSubstr(" command=\"df -P -T\" "));
  EXPECT_THAT(line, HasSubstr(" empty=\"\" "));
}

TEST(LogFormatsTest, LogfmtQuotesAQuoteOrABackslashEvenWithoutASpace) {
  const Fields fields{{"quote", "say\"hi"}, {"backslash", "C:\\x"}, {"equals", "a=b"}, {"plain", "disk-1.2"}};
  const auto line = format_logfmt(Event{kTime, spdlog::level::info, "m", fields});
  EXPECT_THAT(line,
              ::testing::EndsWith(" msg=m quote=\"say\\\"hi\" backslash=\"C:\\\\x\" equals=\"a=b\" plain=disk-1.2"));
}

TEST(LogFormatsTest, JournalFieldsAreUpperCaseWithThePriorityAndNoNewline) {
  const Fields fields{{"collector", "disk"}, {"reason", "timeout"}, {"exit_code", 3}, {"stderr", kHostile}};
  const auto journal = journal_fields(hostile_event(fields));
  EXPECT_THAT(journal, ElementsAre("MESSAGE=" + escape_for_log(kHostile), "PRIORITY=4", "SYSLOG_IDENTIFIER=gleaner",
                                   "COLLECTOR=disk", "REASON=timeout", "EXIT_CODE=3",
                                   "STDERR=" + escape_for_log(kHostile)));
  for (const auto& field : journal) {
    EXPECT_EQ(field.find('\n'), std::string::npos) << field;  // else sd_journal_sendv sends it as binary
    EXPECT_TRUE(is_valid_utf8(field)) << field;
  }
}

TEST(LogFormatsTest, SyslogPrioritiesFollowTheLevels) {
  EXPECT_EQ(syslog_priority(spdlog::level::trace), 7);
  EXPECT_EQ(syslog_priority(spdlog::level::debug), 7);
  EXPECT_EQ(syslog_priority(spdlog::level::info), 6);
  EXPECT_EQ(syslog_priority(spdlog::level::warn), 4);
  EXPECT_EQ(syslog_priority(spdlog::level::err), 3);
  EXPECT_EQ(syslog_priority(spdlog::level::critical), 2);
}

TEST(LogFormatsTest, FormatAndLevelNames) {
  EXPECT_EQ(parse_format("text"), Format::text);
  EXPECT_EQ(parse_format("json"), Format::json);
  EXPECT_EQ(parse_format("logfmt"), Format::logfmt);
  EXPECT_EQ(parse_format("JSON"), std::nullopt);
  EXPECT_EQ(parse_format(""), std::nullopt);
  EXPECT_EQ(parse_level("warn"), spdlog::level::warn);
  EXPECT_EQ(parse_level("warning"), spdlog::level::warn);
  EXPECT_EQ(parse_level("warnings"), std::nullopt);
}

// Standard error is journald's stream only when JOURNAL_STREAM names its
// device and inode: one inherited by a process whose stderr went elsewhere
// does not count.
TEST(LogFormatsTest, JournalStreamMustNameTheDescriptorsFile) {
  std::FILE* file = std::tmpfile();
  ASSERT_NE(file, nullptr);
  struct stat status {};
  ASSERT_EQ(::fstat(::fileno(file), &status), 0);
  const auto device = std::to_string(status.st_dev), inode = std::to_string(status.st_ino);
  EXPECT_TRUE(journal_stream_is(device + ":" + inode, ::fileno(file)));
  EXPECT_FALSE(journal_stream_is(device + ":" + std::to_string(status.st_ino + 1), ::fileno(file)));
  EXPECT_FALSE(journal_stream_is(inode + ":" + device + "0", ::fileno(file)));
  EXPECT_FALSE(journal_stream_is(device + ":" + inode + "x", ::fileno(file)));
  EXPECT_FALSE(journal_stream_is("", ::fileno(file)));
  EXPECT_FALSE(journal_stream_is(":", ::fileno(file)));
  std::fclose(file);
}

// The sink every line goes through: events with fields and plain spdlog
// calls alike, in the format set last.
TEST(LogFormatsTest, TheSinkWritesEachEventAsOneLineInTheFormatSet) {
  std::FILE* file = std::tmpfile();
  ASSERT_NE(file, nullptr);
  auto sink = std::make_shared<EventSink>(Output::lines, file);
  spdlog::logger logger("test", sink);
  const Fields fields{{"collector", "disk"}, {"stderr", kHostile}};
  sink->set_format(Format::json);
  sink->write(hostile_event(fields));
  logger.error("plain {}", kHostile);
  sink->set_format(Format::logfmt);
  sink->write(hostile_event(fields));
  logger.error("plain {}", kHostile);
  sink->set_format(Format::text);
  sink->write(hostile_event(fields));
  std::string written(8192, '\0');
  std::rewind(file);
  written.resize(std::fread(written.data(), 1, written.size(), file));
  std::fclose(file);
  std::vector<std::string> lines;
  for (std::size_t start = 0, end; (end = written.find('\n', start)) != std::string::npos; start = end + 1) {
    lines.push_back(written.substr(start, end - start));
  }
  ASSERT_EQ(lines.size(), 5u) << written;
  EXPECT_EQ(written.back(), '\n');
  EXPECT_EQ(nlohmann::json::parse(lines[0]).at("collector"), "disk");
  EXPECT_EQ(nlohmann::json::parse(lines[1]).at("message"), "plain " + escape_for_log(kHostile));
  EXPECT_EQ(nlohmann::json::parse(lines[1]).at("level"), "error");
  ASSERT_TRUE(parse_logfmt(lines[2]) && parse_logfmt(lines[3])) << lines[2] << "\n" << lines[3];
  EXPECT_EQ(parse_logfmt(lines[2])->at("stderr"), escape_for_log(kHostile));
  EXPECT_EQ(parse_logfmt(lines[3])->at("msg"), "plain " + escape_for_log(kHostile));
  // Text: today's line, the message alone.
  EXPECT_THAT(lines[4], ::testing::MatchesRegex("[0-9]{4}-[0-9]{2}-[0-9]{2}T[0-9:.]+[-+][0-9]{2}:[0-9]{2} warning .*"));
  EXPECT_THAT(lines[4], ::testing::EndsWith(" warning " + escape_for_log(kHostile)));
}

}  // namespace
}  // namespace gleaner::logging
