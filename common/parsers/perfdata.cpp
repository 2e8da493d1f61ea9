#include "common/parsers/perfdata.h"

#include <charconv>

#include "common/parsers/parse_error.h"

namespace gleaner::parsers {
namespace {

bool is_space(char c) { return c == ' ' || c == '\t' || c == '\r' || c == '\n' || c == '\v' || c == '\f'; }
bool is_digit(char c) { return c >= '0' && c <= '9'; }

struct Unit {
  std::string_view uom;
  double factor;
  std::string_view name;
};

constexpr double kKi = 1024.0;
constexpr double kMi = kKi * kKi;
constexpr double kGi = kMi * kKi;
constexpr double kTi = kGi * kKi;
constexpr Unit kUnits[] = {
    {"", 1, ""},
    {"s", 1, "seconds"},
    {"ms", 1e-3, "seconds"},
    {"us", 1e-6, "seconds"},
    {"µs", 1e-6, "seconds"},
    {"%", 0.01, "ratio"},
    {"B", 1, "bytes"},
    {"KB", kKi, "bytes"},
    {"KiB", kKi, "bytes"},
    {"MB", kMi, "bytes"},
    {"MiB", kMi, "bytes"},
    {"GB", kGi, "bytes"},
    {"GiB", kGi, "bytes"},
    {"TB", kTi, "bytes"},
    {"TiB", kTi, "bytes"},
    {"c", 1, "counter"},
};

// NSClient++ (check_nt) prints "Gb" and "Mb" for bytes; bit rates come as
// "bps" or "b/s", so only the two-letter byte multiples ignore case.
bool is_byte_multiple(const Unit& unit) { return unit.name == "bytes" && unit.uom.size() == 2; }

bool equals_ignoring_case(std::string_view a, std::string_view b) {
  const auto lower = [](char c) { return (c >= 'A' && c <= 'Z') ? char(c - 'A' + 'a') : c; };
  if (a.size() != b.size()) return false;
  for (std::size_t i = 0; i < a.size(); ++i) {
    if (lower(a[i]) != lower(b[i])) return false;
  }
  return true;
}

// A unit the guidelines do not list is still a unit if it looks like one
// ("°C", "rpm", "Mbit/s"), not like a mangled number ("5.5.5", "3:4").
bool looks_like_unit(std::string_view uom) {
  for (char c : uom) {
    if (is_digit(c) || c == '.' || c == ',' || c == ':' || c == '@' || c == '~' || c == '=' || c == '\'') {
      return false;
    }
  }
  return true;
}

// A leading number, "1", "-0.5", "0,5", "1e3"; `rest` gets what follows.
std::optional<double> read_number(std::string_view text, std::string_view& rest) {
  std::size_t i = 0;
  if (i < text.size() && (text[i] == '+' || text[i] == '-')) ++i;
  const std::size_t digits_start = i;
  while (i < text.size() && is_digit(text[i])) ++i;
  std::size_t digits = i - digits_start;
  if (i < text.size() && (text[i] == '.' || text[i] == ',')) {
    const std::size_t fraction_start = ++i;
    while (i < text.size() && is_digit(text[i])) ++i;
    digits += i - fraction_start;
  }
  if (digits == 0) return std::nullopt;
  if (i < text.size() && (text[i] == 'e' || text[i] == 'E')) {
    std::size_t j = i + 1;
    if (j < text.size() && (text[j] == '+' || text[j] == '-')) ++j;
    if (j < text.size() && is_digit(text[j])) {
      while (j < text.size() && is_digit(text[j])) ++j;
      i = j;
    }
  }
  std::string number(text.substr(text[0] == '+' ? 1 : 0, text[0] == '+' ? i - 1 : i));
  for (char& c : number) {
    if (c == ',') c = '.';
  }
  double value = 0;
  const auto [end, error] = std::from_chars(number.data(), number.data() + number.size(), value);
  if (error != std::errc() || end != number.data() + number.size()) return std::nullopt;
  rest = text.substr(i);
  return value;
}

// A number that may repeat the value's unit ("/=2643MB;5948MB" in old
// check_disk versions).
std::optional<double> read_plain_number(std::string_view text, std::string_view uom) {
  std::string_view rest;
  const auto number = read_number(text, rest);
  if (!number || !(rest.empty() || rest == uom)) return std::nullopt;
  return number;
}

bool is_range(std::string_view text) {
  if (!text.empty() && text.front() == '@') text.remove_prefix(1);
  const auto colon = text.find(':');
  if (colon == std::string_view::npos) return false;
  const std::string_view low = text.substr(0, colon);
  const std::string_view high = text.substr(colon + 1);
  std::string_view rest;
  const bool low_ok = low.empty() || low == "~" || (read_number(low, rest) && rest.empty());
  const bool high_ok = high.empty() || (read_number(high, rest) && rest.empty());
  return low_ok && high_ok;
}

struct Fields {
  std::string_view value, warning, critical, min, max;
};

std::string split_fields(std::string_view data, Fields& fields) {
  std::string_view* slots[] = {&fields.value, &fields.warning, &fields.critical, &fields.min, &fields.max};
  std::size_t slot = 0;
  while (true) {
    const auto semicolon = data.find(';');
    const std::string_view field = data.substr(0, semicolon);
    if (slot < std::size(slots)) {
      *slots[slot++] = field;
    } else if (!field.empty()) {
      return "more than five ';'-separated fields";
    }
    if (semicolon == std::string_view::npos) return "";
    data.remove_prefix(semicolon + 1);
  }
}

std::string read_threshold(std::string_view text, const Unit& unit, std::string_view uom, std::optional<double>& out) {
  if (text.empty() || is_range(text)) return "";
  const auto number = read_plain_number(text, uom);
  if (!number) return "cannot read the threshold " + quote(text);
  out = *number * unit.factor;
  return "";
}

std::string read_limit(std::string_view text, const Unit& unit, std::string_view uom, std::optional<double>& out) {
  if (text.empty()) return "";
  const auto number = read_plain_number(text, uom);
  if (!number) return "cannot read the min/max " + quote(text);
  out = *number * unit.factor;
  return "";
}

std::string read_data(std::string_view data, PerfdataItem& item) {
  Fields fields;
  if (auto error = split_fields(data, fields); !error.empty()) return error;
  if (fields.value == "U") return "";
  std::string_view uom;
  const auto value = read_number(fields.value, uom);
  if (!value) return "cannot read the value " + quote(fields.value);
  Unit unit{uom, 1, uom};
  bool known = false;
  for (const auto& candidate : kUnits) {
    if (candidate.uom == uom || (is_byte_multiple(candidate) && equals_ignoring_case(candidate.uom, uom))) {
      unit = candidate;
      known = true;
    }
  }
  if (!known && !looks_like_unit(uom)) return "cannot read the value " + quote(fields.value);
  item.value = *value * unit.factor;
  item.unit = std::string(unit.name);
  if (auto error = read_threshold(fields.warning, unit, uom, item.warning); !error.empty()) return error;
  if (auto error = read_threshold(fields.critical, unit, uom, item.critical); !error.empty()) return error;
  if (auto error = read_limit(fields.min, unit, uom, item.min); !error.empty()) return error;
  return read_limit(fields.max, unit, uom, item.max);
}

// 'it''s here' → it's here; `pos` moves past the closing quote.
std::string read_quoted_label(std::string_view text, std::size_t& pos, std::string& label) {
  ++pos;  // opening quote
  while (true) {
    const auto quote_at = text.find('\'', pos);
    if (quote_at == std::string_view::npos) {
      return "a quoted label has no closing quote: " + quote(text.substr(pos - 1));
    }
    label.append(text.substr(pos, quote_at - pos));
    pos = quote_at + 1;
    if (pos < text.size() && text[pos] == '\'') {
      label.push_back('\'');
      ++pos;
    } else {
      return "";
    }
  }
}

}  // namespace

void read_perfdata(std::string_view text, std::vector<PerfdataItem>& items, const BadItem& on_bad) {
  std::size_t pos = 0;
  while (true) {
    while (pos < text.size() && is_space(text[pos])) ++pos;
    if (pos >= text.size()) return;
    const std::size_t item_start = pos;
    PerfdataItem item;
    if (text[pos] == '\'') {
      if (auto error = read_quoted_label(text, pos, item.label); !error.empty()) {
        // Without its closing quote, the label may run to the end: nothing
        // after it can be told apart from it.
        on_bad("perfdata: " + error);
        return;
      }
    } else {
      while (pos < text.size() && text[pos] != '=' && !is_space(text[pos])) ++pos;
      item.label = std::string(text.substr(item_start, pos - item_start));
    }
    std::size_t end = pos;
    while (end < text.size() && !is_space(text[end])) ++end;
    const std::string_view whole = text.substr(item_start, end - item_start);
    std::string error;
    if (pos >= text.size() || text[pos] != '=') {
      error = "perfdata item " + quote(whole) + " has no '=' after its label";
    } else if (item.label.empty()) {
      error = "perfdata item " + quote(whole) + " has an empty label";
    } else if (error = read_data(text.substr(pos + 1, end - pos - 1), item); !error.empty()) {
      error = "perfdata item " + quote(whole) + ": " + error;
    }
    if (error.empty()) {
      items.push_back(std::move(item));
    } else if (!on_bad(error)) {
      return;
    }
    pos = end;
  }
}

std::string read_perfdata(std::string_view text, std::vector<PerfdataItem>& items) {
  std::string first_error;
  read_perfdata(text, items, [&](const std::string& error) {
    first_error = error;
    return false;
  });
  return first_error;
}

}  // namespace gleaner::parsers
