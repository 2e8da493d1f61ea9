#include "common/parsers/line_protocol.h"

#include <charconv>
#include <cstdint>

#include "common/parsers/parse_error.h"

namespace gleaner::parsers {
namespace {

// The blanks that separate a line's parts (Telegraf's `ws`). A carriage
// return counts only as part of a "\r\n" line end.
constexpr bool is_separator(char c) { return c == ' ' || c == '\t' || c == '\v' || c == '\f'; }

constexpr bool is_digit(char c) { return c >= '0' && c <= '9'; }

// Characters that end a name or key besides a line end; '\r' is among them
// so that a stray carriage return is an error, never part of a name.
constexpr std::string_view kMeasurementStops = " \t\v\f\r,";
constexpr std::string_view kKeyStops = " \t\v\f\r,=";
constexpr std::string_view kValueStops = " \t\v\f\r,";

// What each element escapes (the reference's "Special characters").
constexpr std::string_view kMeasurementEscapes = ", ";
constexpr std::string_view kKeyEscapes = ",= ";

// The reference's bounds of a timestamp (its "Unix timestamp" table).
constexpr std::int64_t kMaxTimestamp = 9223372036854775806;

std::size_t digits_at(std::string_view text, std::size_t pos) {
  std::size_t end = pos;
  while (end < text.size() && is_digit(text[end])) ++end;
  return end - pos;
}

// -?(0|[1-9][0-9]*) and nothing more: Telegraf's integer, without leading zeros.
bool is_integer_text(std::string_view text, bool allow_sign) {
  if (allow_sign && !text.empty() && text.front() == '-') text.remove_prefix(1);
  if (text.empty() || digits_at(text, 0) != text.size()) return false;
  return text.size() == 1 || text.front() != '0';
}

// -?(digits ('.' digits?)? | '.' digits) ([eE] [+-]? digits)?
bool is_float_text(std::string_view text) {
  std::size_t pos = 0;
  if (pos < text.size() && text[pos] == '-') ++pos;
  const std::size_t whole = digits_at(text, pos);
  pos += whole;
  std::size_t fraction = 0;
  if (pos < text.size() && text[pos] == '.') {
    ++pos;
    fraction = digits_at(text, pos);
    pos += fraction;
  }
  if (whole == 0 && fraction == 0) return false;
  if (pos < text.size() && (text[pos] == 'e' || text[pos] == 'E')) {
    ++pos;
    if (pos < text.size() && (text[pos] == '+' || text[pos] == '-')) ++pos;
    const std::size_t exponent = digits_at(text, pos);
    if (exponent == 0) return false;
    pos += exponent;
  }
  return pos == text.size();
}

// Whether a well-formed float that from_chars found out of range is below
// the smallest double (it reads as zero, as Go's ParseFloat, which Telegraf
// uses, reads it) rather than beyond the largest (an error there too).
bool is_underflow(std::string_view text) {
  if (!text.empty() && text.front() == '-') text.remove_prefix(1);
  const std::size_t mark = text.find_first_of("eE");
  const std::string_view mantissa = text.substr(0, mark);
  long long exponent = 0;
  if (mark != std::string_view::npos) {
    std::string_view digits = text.substr(mark + 1);
    const bool negative = !digits.empty() && digits.front() == '-';
    if (!digits.empty() && (digits.front() == '-' || digits.front() == '+')) digits.remove_prefix(1);
    // An exponent too long for long long is far beyond either bound.
    if (digits.size() > 15) return negative;
    std::from_chars(digits.data(), digits.data() + digits.size(), exponent);
    if (negative) exponent = -exponent;
  }
  // The decimal magnitude of the mantissa: its first significant digit's place.
  const std::size_t point = mantissa.find('.');
  const std::string_view whole = mantissa.substr(0, point);
  const std::size_t first = whole.find_first_not_of('0');
  if (first != std::string_view::npos) return static_cast<long long>(whole.size() - first) - 1 + exponent < 0;
  const std::string_view fraction = point == std::string_view::npos ? std::string_view() : mantissa.substr(point + 1);
  const std::size_t significant = fraction.find_first_not_of('0');
  if (significant == std::string_view::npos) return true;  // zero
  return -static_cast<long long>(significant) - 1 + exponent < 0;
}

// Unescaping as the reference states: `\c` for each c of `escaped`, and `\\`,
// become the character; any other backslash is kept.
std::string unescape_line_protocol(std::string_view raw, std::string_view escaped) {
  std::string out;
  out.reserve(raw.size());
  for (std::size_t i = 0; i < raw.size(); ++i) {
    if (raw[i] == '\\' && i + 1 < raw.size() && (raw[i + 1] == '\\' || escaped.find(raw[i + 1]) != std::string_view::npos)) {
      ++i;
    }
    out.push_back(raw[i]);
  }
  return out;
}

// A field value that is not a string: the number, or nullopt with `error` set.
std::optional<double> read_line_protocol_number(std::string_view raw, std::string& error) {
  if (raw == "t" || raw == "T" || raw == "true" || raw == "True" || raw == "TRUE") return 1.0;
  if (raw == "f" || raw == "F" || raw == "false" || raw == "False" || raw == "FALSE") return 0.0;
  const char suffix = raw.empty() ? '\0' : raw.back();
  if (suffix == 'i' || suffix == 'u') {
    const std::string_view digits = raw.substr(0, raw.size() - 1);
    if (!is_integer_text(digits, suffix == 'i')) {
      error = std::string(suffix == 'i' ? "not an integer: " : "not an unsigned integer: ") + quote(raw);
      return std::nullopt;
    }
    const char* end = digits.data() + digits.size();
    if (suffix == 'i') {
      std::int64_t value = 0;
      if (std::from_chars(digits.data(), end, value).ec != std::errc()) {
        error = "integer out of the 64-bit range: " + quote(raw);
        return std::nullopt;
      }
      return static_cast<double>(value);
    }
    std::uint64_t value = 0;
    if (std::from_chars(digits.data(), end, value).ec != std::errc()) {
      error = "unsigned integer out of the 64-bit range: " + quote(raw);
      return std::nullopt;
    }
    return static_cast<double>(value);
  }
  if (!is_float_text(raw)) {
    error = "not a number, boolean or quoted string: " + quote(raw);
    return std::nullopt;
  }
  double value = 0;
  const auto [end, code] = std::from_chars(raw.data(), raw.data() + raw.size(), value);
  if (code == std::errc::result_out_of_range && is_underflow(raw)) return raw.front() == '-' ? -0.0 : 0.0;
  if (code != std::errc() || end != raw.data() + raw.size()) {
    error = "float out of the 64-bit range: " + quote(raw);
    return std::nullopt;
  }
  return value;
}

}  // namespace

bool LineProtocolReader::at_line_end() const {
  if (at_end() || peek() == '\n') return true;
  return peek() == '\r' && pos_ + 1 < text_.size() && text_[pos_ + 1] == '\n';
}

std::string LineProtocolReader::here() const {
  return at_line_end() ? "the end of the line" : quote(text_.substr(pos_, 1));
}

void LineProtocolReader::skip_blanks() {
  while (!at_end() && is_separator(peek())) ++pos_;
}

void LineProtocolReader::consume_line_end() {
  if (!at_end() && peek() == '\r') ++pos_;
  if (!at_end() && peek() == '\n') {
    ++pos_;
    ++line_;
  }
}

void LineProtocolReader::skip_line() {
  while (!at_end() && peek() != '\n') ++pos_;
  consume_line_end();
}

std::string_view LineProtocolReader::token(std::string_view stops) {
  const std::size_t start = pos_;
  while (!at_end() && peek() != '\n' && stops.find(peek()) == std::string_view::npos) {
    // A backslash escapes whatever follows it on the line, for finding the
    // token's end; unescaping decides later which escapes mean something.
    if (peek() == '\\' && pos_ + 1 < text_.size() && text_[pos_ + 1] != '\n' && text_[pos_ + 1] != '\r') ++pos_;
    ++pos_;
  }
  return text_.substr(start, pos_ - start);
}

LineProtocolReader::Result LineProtocolReader::next(LineProtocolPoint& point, std::string& error) {
  while (true) {
    skip_blanks();
    if (at_end()) return Result::end;
    if (at_line_end()) {
      consume_line_end();
      continue;
    }
    if (peek() == '#') {
      skip_line();
      continue;
    }
    point_line_ = line_;
    point = LineProtocolPoint{};
    error = read_point(point);
    if (error.empty()) {
      consume_line_end();
      return Result::point;
    }
    skip_line();
    return Result::error;
  }
}

std::string LineProtocolReader::read_point(LineProtocolPoint& point) {
  const std::string_view measurement = token(kMeasurementStops);
  if (measurement.empty()) return "expected a measurement name, got " + here();
  point.measurement = unescape_line_protocol(measurement, kMeasurementEscapes);
  if (auto error = read_tags(point); !error.empty()) return error;
  if (at_line_end()) return "no field set after " + quote(measurement) + ": a point needs at least one field";
  if (!is_separator(peek())) return "unexpected " + quote(text_.substr(pos_, 1)) + " after the tag set";
  skip_blanks();
  if (at_line_end()) return "no field set after " + quote(measurement) + ": a point needs at least one field";
  if (auto error = read_fields(point); !error.empty()) return error;
  if (at_line_end()) return "";
  if (!is_separator(peek())) return "unexpected " + quote(text_.substr(pos_, 1)) + " after the field set";
  skip_blanks();
  if (at_line_end()) return "";
  if (auto error = read_timestamp(); !error.empty()) return error;
  skip_blanks();
  if (!at_line_end()) return "unexpected text after the timestamp: " + quote(token(""));
  return "";
}

std::string LineProtocolReader::read_tags(LineProtocolPoint& point) {
  while (!at_end() && peek() == ',') {
    ++pos_;
    const std::string_view key = token(kKeyStops);
    if (key.empty()) return "expected a tag key after ','";
    if (at_end() || peek() != '=') return "the tag key " + quote(key) + " has no '=' and value";
    ++pos_;
    const std::string_view value = token(kKeyStops);
    if (value.empty()) return "the tag " + quote(key) + " has an empty value (omit the tag instead)";
    if (!at_end() && peek() == '=') return "unescaped '=' in the value of the tag " + quote(key);
    point.tags.emplace_back(unescape_line_protocol(key, kKeyEscapes), unescape_line_protocol(value, kKeyEscapes));
  }
  return "";
}

std::string LineProtocolReader::read_fields(LineProtocolPoint& point) {
  while (true) {
    const std::string_view key = token(kKeyStops);
    if (key.empty()) return "expected a field key, got " + here();
    if (at_end() || peek() != '=') return "the field key " + quote(key) + " has no '=' and value";
    ++pos_;
    LineProtocolField field{unescape_line_protocol(key, kKeyEscapes), std::nullopt};
    if (!at_end() && peek() == '"') {
      if (auto error = read_string_value(key); !error.empty()) return error;
    } else {
      const std::string_view raw = token(kValueStops);
      if (raw.empty()) return "the field " + quote(key) + " has no value";
      std::string error;
      field.value = read_line_protocol_number(raw, error);
      if (!field.value) return "the field " + quote(key) + ": " + error;
    }
    point.fields.push_back(std::move(field));
    if (at_end() || peek() != ',') return "";
    ++pos_;
  }
}

// Past a double-quoted string value. It may span lines, as Telegraf reads
// it; unterminated, the error leaves the reader after the line it began on.
// That scan to the end happens once at most: a string opened on a later
// line would have closed this one (its quote follows an '=', unescaped).
std::string LineProtocolReader::read_string_value(std::string_view key) {
  const std::size_t open = pos_;
  const std::size_t open_line = line_;
  ++pos_;
  while (!at_end()) {
    const char c = peek();
    if (c == '\\' && pos_ + 1 < text_.size() && (text_[pos_ + 1] == '"' || text_[pos_ + 1] == '\\')) {
      pos_ += 2;
      continue;
    }
    ++pos_;
    if (c == '"') return "";
    if (c == '\n') ++line_;
  }
  pos_ = open;
  line_ = open_line;
  return "the string value of the field " + quote(key) + " has no closing '\"'";
}

std::string LineProtocolReader::read_timestamp() {
  const std::string_view raw = token(" \t\v\f\r");
  // -?[0-9]{1,19}, leading zeros allowed (the reference's own example
  // writes 0000000000000000000).
  const std::size_t sign = !raw.empty() && raw.front() == '-' ? 1 : 0;
  const std::size_t digits = raw.size() - sign;
  std::int64_t value = 0;
  if (digits < 1 || digits > 19 || digits_at(raw, sign) != digits) {
    return "not a timestamp (an integer of at most 19 digits): " + quote(raw);
  }
  if (std::from_chars(raw.data(), raw.data() + raw.size(), value).ec != std::errc() || value > kMaxTimestamp ||
      value < -kMaxTimestamp) {
    return "timestamp out of range: " + quote(raw);
  }
  return "";
}

}  // namespace gleaner::parsers
