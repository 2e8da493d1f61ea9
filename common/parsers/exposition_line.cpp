#include "common/parsers/exposition_line.h"

#include <array>
#include <cmath>
#include <optional>
#include <unordered_set>

#include "common/metrics/names.h"
#include "common/parsers/metric_options.h"
#include "common/parsers/output_text.h"
#include "common/parsers/parse_error.h"
#include "common/units/units.h"

namespace gleaner::parsers::exposition {
namespace {

bool is_blank_or_tab(char c) { return c == ' ' || c == '\t'; }

// A cursor over one line.
class Cursor {
 public:
  explicit Cursor(std::string_view line) : line_(line) {}

  bool at_end() const { return pos_ >= line_.size(); }
  char peek() const { return at_end() ? '\0' : line_[pos_]; }
  void advance() { ++pos_; }
  std::string_view rest() const { return line_.substr(pos_); }

  void skip_blanks() {
    while (!at_end() && is_blank_or_tab(line_[pos_])) ++pos_;
  }
  // Characters while pred holds (the first one must also satisfy first).
  template <typename First, typename Pred>
  std::string_view take_name(First first, Pred pred) {
    const std::size_t start = pos_;
    if (at_end() || !first(line_[pos_])) return {};
    while (!at_end() && pred(line_[pos_])) ++pos_;
    return line_.substr(start, pos_ - start);
  }
  std::string_view take_until_blank() {
    const std::size_t start = pos_;
    while (!at_end() && !is_blank_or_tab(line_[pos_])) ++pos_;
    return line_.substr(start, pos_ - start);
  }

 private:
  std::string_view line_;
  std::size_t pos_ = 0;
};

std::string_view take_metric_name(Cursor& cursor) {
  return cursor.take_name(metrics::is_metric_name_start, metrics::is_metric_name_char);
}

// HELP text escapes: "\\" and "\n". Any other backslash stays as written, as
// the Prometheus server's own parser keeps it.
std::string unescape_help(std::string_view text) {
  std::string out;
  out.reserve(text.size());
  for (std::size_t i = 0; i < text.size(); ++i) {
    if (text[i] == '\\' && i + 1 < text.size() && (text[i + 1] == '\\' || text[i + 1] == 'n')) {
      out.push_back(text[i + 1] == 'n' ? '\n' : '\\');
      ++i;
    } else {
      out.push_back(text[i]);
    }
  }
  return out;
}

// A quoted label value after its opening quote, up to and past the closing
// one. Escapes: \\ \" \n; another escaped character stays with its backslash.
std::string read_label_value(Cursor& cursor, std::string& value) {
  value.clear();
  while (!cursor.at_end()) {
    const char c = cursor.peek();
    cursor.advance();
    if (c == '"') return "";
    if (c != '\\') {
      value.push_back(c);
      continue;
    }
    if (cursor.at_end()) break;
    const char escaped = cursor.peek();
    cursor.advance();
    if (escaped == 'n') {
      value.push_back('\n');
    } else if (escaped == '\\' || escaped == '"') {
      value.push_back(escaped);
    } else {
      value.push_back('\\');
      value.push_back(escaped);
    }
  }
  return "label value has no closing quote";
}

// The label names of one line, to find one given twice. A line may carry
// any number of labels: comparing each with all before it took a minute for
// a 1 MB line of labels (found by tests/fuzz/parser_scaling_probe), so past
// a handful the names go into a hash set. They are views into the line.
class LabelNames {
 public:
  // False if `name` was inserted before.
  bool insert(std::string_view name) {
    if (count_ < kLinear) {
      for (std::size_t i = 0; i < count_; ++i) {
        if (first_[i] == name) return false;
      }
      first_[count_++] = name;
      if (count_ == kLinear) rest_.insert(first_.begin(), first_.end());
      return true;
    }
    return rest_.insert(name).second;
  }

 private:
  static constexpr std::size_t kLinear = 16;  // most lines have far fewer
  std::array<std::string_view, kLinear> first_;
  std::size_t count_ = 0;
  std::unordered_set<std::string_view> rest_;  // every name, once there are kLinear
};

std::string read_labels(Cursor& cursor, metrics::Labels& labels) {
  cursor.advance();  // '{'
  LabelNames names;
  while (true) {
    cursor.skip_blanks();
    if (cursor.peek() == '}') {
      cursor.advance();
      return "";
    }
    const std::string_view name = cursor.take_name(metrics::is_label_name_start, metrics::is_label_name_char);
    if (name.empty()) return "expected a label name or '}', got " + quote(cursor.rest());
    if (name == kReservedLabelName) return "label name " + quote(name) + " is reserved";
    if (!names.insert(name)) return "label " + quote(name) + " appears twice";
    cursor.skip_blanks();
    if (cursor.peek() != '=') return "expected '=' after label " + quote(name);
    cursor.advance();
    cursor.skip_blanks();
    if (cursor.peek() != '"') return "expected '\"' to open the value of label " + quote(name);
    cursor.advance();
    std::string value;
    if (auto error = read_label_value(cursor, value); !error.empty()) return error;
    labels.push_back(metrics::Label{std::string(name), valid_utf8(std::move(value))});
    cursor.skip_blanks();
    if (cursor.peek() == ',') {
      cursor.advance();
    } else if (cursor.peek() != '}') {
      return "expected ',' or '}' after the value of label " + quote(name);
    }
  }
}

// parse_number reads "+-1" as -1 (it drops one '+'); the format does not.
std::optional<double> read_value(std::string_view token) {
  if (token.size() >= 2 && token[0] == '+' && (token[1] == '+' || token[1] == '-')) return std::nullopt;
  return units::parse_number(token);
}

bool is_timestamp(std::string_view token) {
  if (!token.empty() && token.front() == '-') token.remove_prefix(1);
  if (token.empty() || token.size() > 19) return false;
  for (char c : token) {
    if (!metrics::is_ascii_digit(c)) return false;
  }
  return true;
}

// OpenMetrics' timestamps are seconds, with a fraction if need be.
bool is_openmetrics_timestamp(std::string_view token) {
  const auto number = read_value(token);
  return number && std::isfinite(*number);
}

// ` # {labels} value [timestamp]` after a sample, from the '#': read so a
// malformed one is a bad line, then dropped (gleaner serves no exemplars).
std::string read_exemplar(Cursor& cursor, SampleLine& out) {
  cursor.advance();  // '#'
  cursor.skip_blanks();
  if (cursor.peek() != '{') return "expected '{' to open an exemplar's labels, got " + quote(cursor.rest());
  metrics::Labels labels;
  if (auto error = read_labels(cursor, labels); !error.empty()) return "exemplar: " + error;
  cursor.skip_blanks();
  const std::string_view value = cursor.take_until_blank();
  if (!read_value(value)) return "expected a number as the exemplar's value, got " + quote(value);
  cursor.skip_blanks();
  if (!cursor.at_end()) {
    const std::string_view timestamp = cursor.take_until_blank();
    if (!is_openmetrics_timestamp(timestamp)) return "expected the exemplar's timestamp, got " + quote(timestamp);
    cursor.skip_blanks();
    if (!cursor.at_end()) return "unexpected text after the exemplar: " + quote(cursor.rest());
  }
  out.has_exemplar = true;
  return "";
}

}  // namespace

bool is_comment(std::string_view line) {
  Cursor cursor(line);
  cursor.skip_blanks();
  return cursor.peek() == '#';
}

std::string read_comment(std::string_view line, CommentLine& out, bool openmetrics) {
  out = CommentLine{};
  Cursor cursor(line);
  cursor.skip_blanks();
  cursor.advance();  // '#'
  cursor.skip_blanks();
  const std::string_view keyword = cursor.take_until_blank();
  if (!openmetrics && (keyword == "EOF" || keyword == "UNIT")) return "";  // a mere comment in 0.0.4
  if (keyword == "EOF") {
    cursor.skip_blanks();
    if (cursor.at_end()) out.kind = CommentLine::Kind::eof;
    return "";
  }
  if (keyword != "HELP" && keyword != "TYPE" && keyword != "UNIT") return "";
  cursor.skip_blanks();
  if (cursor.at_end()) return "";
  const std::string_view name = take_metric_name(cursor);
  if (!cursor.at_end() && !is_blank_or_tab(cursor.peek())) {
    return "invalid metric name in " + std::string(keyword) + " line: " + quote(cursor.rest());
  }
  cursor.skip_blanks();
  if (name.empty() || cursor.at_end()) return "";
  out.name = name;
  if (keyword == "HELP") {
    out.kind = CommentLine::Kind::help;
    out.text = valid_utf8(unescape_help(cursor.rest()));
  } else {
    out.kind = keyword == "TYPE" ? CommentLine::Kind::type : CommentLine::Kind::unit;
    std::string_view type = cursor.rest();
    while (!type.empty() && is_blank_or_tab(type.back())) type.remove_suffix(1);
    out.text = std::string(type);
  }
  return "";
}

std::string read_sample(std::string_view line, SampleLine& out, bool openmetrics) {
  out.labels.clear();
  out.has_timestamp = false;
  out.has_exemplar = false;
  Cursor cursor(line);
  cursor.skip_blanks();
  out.name = take_metric_name(cursor);
  if (out.name.empty()) return "expected a metric name, got " + quote(cursor.rest());
  if (!cursor.at_end() && !is_blank_or_tab(cursor.peek()) && cursor.peek() != '{') {
    return "invalid character in metric name: " + quote(line.substr(0, out.name.size() + 1));
  }
  cursor.skip_blanks();
  if (cursor.peek() == '{') {
    if (auto error = read_labels(cursor, out.labels); !error.empty()) return error;
    cursor.skip_blanks();
  }
  const std::string_view value = cursor.take_until_blank();
  if (value.empty()) return "expected a value after " + quote(out.name);
  const auto number = read_value(value);
  if (!number) return "expected a number as the value, got " + quote(value);
  out.value = *number;
  cursor.skip_blanks();
  if (cursor.at_end()) return "";
  if (openmetrics && cursor.peek() == '#') return read_exemplar(cursor, out);
  const std::string_view timestamp = cursor.take_until_blank();
  if (openmetrics ? !is_openmetrics_timestamp(timestamp) : !is_timestamp(timestamp)) {
    return std::string(openmetrics ? "expected a timestamp, got " : "expected a timestamp in milliseconds, got ") +
           quote(timestamp);
  }
  out.has_timestamp = true;
  cursor.skip_blanks();
  if (openmetrics && cursor.peek() == '#') return read_exemplar(cursor, out);
  if (!cursor.at_end()) return "unexpected text after the timestamp: " + quote(cursor.rest());
  return "";
}

}  // namespace gleaner::parsers::exposition
