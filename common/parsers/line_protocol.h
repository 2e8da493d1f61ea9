#pragma once
// Reading InfluxDB line protocol, one point at a time, as the InfluxDB v2
// "Line protocol" reference states it and Telegraf's influx parser reads it:
//
//   measurement[,tag_key=tag_value...] field_key=field_value[,...] [timestamp]
//
// Escapes (a backslash before the character): in the measurement a comma and
// a space; in tag keys, tag values and field keys a comma, an equals sign and
// a space; in string field values a double quote and a backslash. Two
// backslashes are one backslash everywhere; any other backslash is itself.
// Field values: floats (`1`, `-1.5`, `.5`, `1.`, `-1.234456e+78`), integers
// (`1i`, int64), unsigned integers (`1u`, uint64), booleans (t, T, true,
// True, TRUE, f, F, false, False, FALSE), double-quoted strings (which may
// span lines, as Telegraf reads them). A timestamp is an integer of at most
// 19 digits within the reference's bounds; it is checked, not kept. Blank
// lines and lines whose first non-blank character is `#` are skipped.
//
// Anything else is an error naming what was expected, and the reader moves
// on to the next line, so that a caller may skip the bad line.

#include <cstddef>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace gleaner::parsers {

struct LineProtocolField {
  std::string key;              // unescaped
  std::optional<double> value;  // nullopt for a string value (not kept)
};

struct LineProtocolPoint {
  std::string measurement;                                 // unescaped
  std::vector<std::pair<std::string, std::string>> tags;   // unescaped, as written
  std::vector<LineProtocolField> fields;                   // at least one
};

class LineProtocolReader {
 public:
  explicit LineProtocolReader(std::string_view text) : text_(text) {}

  enum class Result { point, error, end };

  // The next point, or an error (its message in `error`, the reader then
  // past the bad line), or the end of the text.
  Result next(LineProtocolPoint& point, std::string& error);

  // The 1-based line on which the point or error next() returned began.
  std::size_t line() const { return point_line_; }

 private:
  bool at_end() const { return pos_ >= text_.size(); }
  char peek() const { return text_[pos_]; }
  bool at_line_end() const;
  // The character at pos_ for a message: quoted, or "the end of the line".
  std::string here() const;
  void skip_blanks();
  void skip_line();
  void consume_line_end();

  // Raw text up to the first unescaped character of `stops`, a line end or
  // the end; a backslash takes the character after it along.
  std::string_view token(std::string_view stops);
  std::string read_point(LineProtocolPoint& point);
  std::string read_tags(LineProtocolPoint& point);
  std::string read_fields(LineProtocolPoint& point);
  std::string read_string_value(std::string_view key);
  std::string read_timestamp();

  std::string_view text_;
  std::size_t pos_ = 0;
  std::size_t line_ = 1;        // the line pos_ is on
  std::size_t point_line_ = 0;  // where the latest point began
};

}  // namespace gleaner::parsers
