// The stream mode's record splitter (common/subprocess/record_splitter.h)
// on any bytes, fed in any pieces. The 1st byte picks the framing (bit 0:
// lines or blocks) and the largest record (the other bits, 1 to 128
// bytes); the 2nd seeds the sizes of the pieces; the rest is the stream.
// Asserted:
//  - the pieces do not matter: fed in one piece or in many, the same
//    records, and the same overflow (a pipe cuts a stream anywhere);
//  - lines: the records are the stream cut at each newline (the last, if
//    unterminated, at the end), until a line is longer than the largest
//    record, which ends it; no record holds a newline;
//  - blocks: each record is lines ending in a newline, none blank, at most
//    the largest record long; their lines, in order, are the stream's lines
//    that are not blank, up to the overflow;
//  - once feed() says false, it keeps saying so.

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "tests/fuzz/fuzz_checks.h"
#include "common/subprocess/record_splitter.h"

namespace {

using gleaner::fuzz::violated;
using gleaner::subprocess::Framing;
using gleaner::subprocess::RecordSplitter;

struct Split {
  std::vector<std::string> records;
  bool overflow = false;
};

// Feeds the stream in pieces of the sizes `seed` gives (0: one piece).
Split split(Framing framing, std::size_t max_record, std::string_view stream, unsigned seed) {
  RecordSplitter splitter(framing, max_record);
  Split result;
  const auto emit = [&](std::string_view record) {
    if (result.overflow) violated("nothing is emitted after feed() said false", std::string(record));
    result.records.emplace_back(record);
  };
  unsigned state = seed;
  while (!stream.empty()) {
    std::size_t piece = stream.size();
    if (seed != 0) {
      state = state * 1103515245u + 12345u;
      piece = std::min<std::size_t>(stream.size(), 1 + (state >> 16) % 17);
    }
    const bool ok = splitter.feed(stream.substr(0, piece), emit);
    if (result.overflow && ok) violated("feed() keeps saying false after an overflow", "");
    result.overflow = result.overflow || !ok;
    stream.remove_prefix(piece);
  }
  if (!result.overflow) splitter.finish(emit);
  return result;
}

bool is_blank(std::string_view line) { return line.find_first_not_of(" \t\r") == std::string_view::npos; }

// The stream's lines; the last one only if it holds anything.
std::vector<std::string_view> lines_of(std::string_view stream) {
  std::vector<std::string_view> lines;
  while (!stream.empty()) {
    const auto newline = stream.find('\n');
    lines.push_back(stream.substr(0, newline));
    stream.remove_prefix(newline == std::string_view::npos ? stream.size() : newline + 1);
  }
  return lines;
}

void check_lines(const Split& got, std::size_t max_record, std::string_view stream) {
  std::vector<std::string_view> expected;
  bool overflow = false;
  for (const auto line : lines_of(stream)) {
    if (line.size() > max_record) {
      overflow = true;
      break;
    }
    expected.push_back(line);
  }
  if (got.overflow != overflow) violated("lines: an overflow exactly when a line is too long", "");
  if (got.records.size() != expected.size()) {
    violated("lines: one record per line", std::to_string(got.records.size()) + " records for " +
                                               std::to_string(expected.size()) + " lines");
  }
  for (std::size_t i = 0; i < expected.size(); ++i) {
    if (got.records[i] != expected[i]) violated("lines: each record is its line", got.records[i]);
  }
}

void check_blocks(const Split& got, std::size_t max_record, std::string_view stream) {
  std::vector<std::string_view> record_lines;
  for (const auto& record : got.records) {
    if (record.empty() || record.back() != '\n') violated("blocks: a record is lines ending in a newline", record);
    if (record.size() > max_record) violated("blocks: a record is at most the largest record long", record);
    for (const auto line : lines_of(record)) {
      if (is_blank(line)) violated("blocks: no blank line in a record", record);
      record_lines.push_back(line);
    }
  }
  std::vector<std::string_view> stream_lines;
  for (const auto line : lines_of(stream)) {
    if (!is_blank(line)) stream_lines.push_back(line);
  }
  // Up to the overflow: every line that is not blank, in order, and all
  // of them when there was none.
  if (record_lines.size() > stream_lines.size() || (!got.overflow && record_lines.size() != stream_lines.size())) {
    violated("blocks: the records hold the stream's lines that are not blank",
             std::to_string(record_lines.size()) + " lines in records, " + std::to_string(stream_lines.size()) +
                 " in the stream");
  }
  for (std::size_t i = 0; i < record_lines.size(); ++i) {
    if (record_lines[i] != stream_lines[i]) violated("blocks: the lines in order", std::string(record_lines[i]));
  }
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  if (size < 2) return 0;
  const Framing framing = (data[0] & 1) ? Framing::blocks : Framing::lines;
  const std::size_t max_record = 1 + (data[0] >> 1);
  const unsigned seed = data[1];
  const std::string_view stream(reinterpret_cast<const char*>(data) + 2, size - 2);

  const Split whole = split(framing, max_record, stream, 0);
  const Split pieces = split(framing, max_record, stream, seed | 1);
  if (whole.records != pieces.records || whole.overflow != pieces.overflow) {
    violated("the pieces a stream arrives in do not change its records",
             std::to_string(whole.records.size()) + " records in one piece (overflow " +
                 std::to_string(whole.overflow) + "), " + std::to_string(pieces.records.size()) + " in pieces (overflow " +
                 std::to_string(pieces.overflow) + ")");
  }
  if (framing == Framing::lines) {
    check_lines(whole, max_record, stream);
  } else {
    check_blocks(whole, max_record, stream);
  }
  return 0;
}
