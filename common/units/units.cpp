#include "common/units/units.h"

#include <charconv>
#include <cmath>
#include <limits>

namespace gleaner::units {
namespace {

bool iequals(std::string_view a, std::string_view b) {
  if (a.size() != b.size()) return false;
  for (std::size_t i = 0; i < a.size(); ++i) {
    const auto lower = [](char c) { return (c >= 'A' && c <= 'Z') ? char(c - 'A' + 'a') : c; };
    if (lower(a[i]) != lower(b[i])) return false;
  }
  return true;
}

std::string_view trim(std::string_view text) {
  const auto first = text.find_first_not_of(" \t");
  if (first == std::string_view::npos) return {};
  const auto last = text.find_last_not_of(" \t");
  return text.substr(first, last - first + 1);
}

// Splits "1.5Ki" into the longest numeric prefix and the rest.
std::pair<std::string_view, std::string_view> split_number(std::string_view text) {
  std::size_t i = 0;
  if (i < text.size() && (text[i] == '+' || text[i] == '-')) ++i;
  bool digits = false;
  while (i < text.size() && ((text[i] >= '0' && text[i] <= '9') || text[i] == '.')) {
    digits |= text[i] != '.';
    ++i;
  }
  if (digits && i < text.size() && (text[i] == 'e' || text[i] == 'E')) {
    std::size_t j = i + 1;
    if (j < text.size() && (text[j] == '+' || text[j] == '-')) ++j;
    if (j < text.size() && text[j] >= '0' && text[j] <= '9') {
      while (j < text.size() && text[j] >= '0' && text[j] <= '9') ++j;
      i = j;
    }
  }
  return {text.substr(0, i), text.substr(i)};
}

struct Multiplier {
  std::string_view suffix;
  double factor;
};

constexpr double kKi = 1024.0;
constexpr Multiplier kQuantitySuffixes[] = {
    {"", 1},
    {"B", 1},
    {"K", kKi},
    {"Ki", kKi},
    {"KiB", kKi},
    {"M", kKi * kKi},
    {"Mi", kKi * kKi},
    {"MiB", kKi * kKi},
    {"G", kKi * kKi * kKi},
    {"Gi", kKi * kKi * kKi},
    {"GiB", kKi * kKi * kKi},
    {"T", kKi * kKi * kKi * kKi},
    {"Ti", kKi * kKi * kKi * kKi},
    {"TiB", kKi * kKi * kKi * kKi},
    {"P", kKi * kKi * kKi * kKi * kKi},
    {"Pi", kKi * kKi * kKi * kKi * kKi},
    {"PiB", kKi * kKi * kKi * kKi * kKi},
    {"E", kKi * kKi * kKi * kKi * kKi * kKi},
    {"Ei", kKi * kKi * kKi * kKi * kKi * kKi},
    {"EiB", kKi * kKi * kKi * kKi * kKi * kKi},
    {"kB", 1e3},
    {"KB", 1e3},
    {"MB", 1e6},
    {"GB", 1e9},
    {"TB", 1e12},
    {"PB", 1e15},
    {"EB", 1e18},
    {"k", 1e3},
    {"%", 0.01},
};

}  // namespace

std::optional<double> parse_number(std::string_view text) {
  text = trim(text);
  if (text.empty()) return std::nullopt;
  if (iequals(text, "nan")) return std::numeric_limits<double>::quiet_NaN();
  if (iequals(text, "+inf") || iequals(text, "inf")) return std::numeric_limits<double>::infinity();
  if (iequals(text, "-inf")) return -std::numeric_limits<double>::infinity();
  std::string_view digits = text;
  if (digits.front() == '+') digits.remove_prefix(1);
  double value = 0;
  const auto [end, error] = std::from_chars(digits.data(), digits.data() + digits.size(), value);
  if (error != std::errc() || end != digits.data() + digits.size()) return std::nullopt;
  return value;
}

std::optional<double> parse_quantity(std::string_view text) {
  text = trim(text);
  if (auto plain = parse_number(text)) return plain;  // also NaN and ±Inf
  const auto [number, suffix] = split_number(text);
  const auto value = parse_number(number);
  if (!value) return std::nullopt;
  for (const auto& multiplier : kQuantitySuffixes) {
    if (suffix == multiplier.suffix) return *value * multiplier.factor;
  }
  return std::nullopt;
}

std::optional<std::uint64_t> parse_size(std::string_view text) {
  static constexpr Multiplier kSizeSuffixes[] = {
      {"", 1},          {"B", 1},
      {"KiB", 1ull << 10}, {"MiB", 1ull << 20}, {"GiB", 1ull << 30}, {"TiB", 1ull << 40},
      {"K", 1ull << 10},   {"M", 1ull << 20},   {"G", 1ull << 30},   {"T", 1ull << 40},
      {"kB", 1e3},      {"KB", 1e3},         {"MB", 1e6},         {"GB", 1e9},
      {"TB", 1e12},
  };
  text = trim(text);
  std::size_t digits = 0;
  while (digits < text.size() && text[digits] >= '0' && text[digits] <= '9') ++digits;
  if (digits == 0) return std::nullopt;
  std::uint64_t value = 0;
  const auto [end, error] = std::from_chars(text.data(), text.data() + digits, value);
  if (error != std::errc()) return std::nullopt;
  const std::string_view suffix = trim(text.substr(digits));
  for (const auto& multiplier : kSizeSuffixes) {
    if (suffix != multiplier.suffix) continue;
    const auto factor = static_cast<std::uint64_t>(multiplier.factor);
    if (value > std::numeric_limits<std::uint64_t>::max() / factor) return std::nullopt;
    return value * factor;
  }
  return std::nullopt;
}

std::optional<std::chrono::milliseconds> parse_duration(std::string_view text) { return read_duration(text).value; }

DurationReading read_duration(std::string_view text) {
  using std::chrono::milliseconds;
  static constexpr std::pair<std::string_view, double> kUnits[] = {
      {"us", 0.001}, {"µs", 0.001}, {"ms", 1}, {"s", 1e3}, {"m", 60e3}, {"h", 3600e3}, {"d", 86400e3},
  };
  text = trim(text);
  if (text.empty()) return {};
  if (text == "0") return {milliseconds(0)};
  double total = 0;
  while (!text.empty()) {
    std::size_t i = 0;
    while (i < text.size() && ((text[i] >= '0' && text[i] <= '9') || text[i] == '.')) ++i;
    if (i == 0) return {};
    double value = 0;
    const auto [end, error] = std::from_chars(text.data(), text.data() + i, value);
    if (error != std::errc() || end != text.data() + i) return {};
    text.remove_prefix(i);
    std::size_t unit_length = 0;
    while (unit_length < text.size() && !(text[unit_length] >= '0' && text[unit_length] <= '9')) ++unit_length;
    const std::string_view unit = text.substr(0, unit_length);
    text.remove_prefix(unit_length);
    bool known = false;
    for (const auto& [name, factor] : kUnits) {
      if (unit == name) {
        total += value * factor;
        known = true;
      }
    }
    if (!known) return {};
  }
  // Compared as a double, before any conversion that could overflow.
  if (total > static_cast<double>(kLongestDuration.count())) return {std::nullopt, true};
  return {milliseconds(static_cast<long long>(std::llround(total)))};
}

std::string format_duration(std::chrono::milliseconds duration) {
  long long ms = duration.count();
  if (ms == 0) return "0s";
  std::string text;
  const auto part = [&](long long unit, const char* name) {
    if (ms >= unit) {
      text += std::to_string(ms / unit) + name;
      ms %= unit;
    }
  };
  part(86'400'000, "d");
  part(3'600'000, "h");
  part(60'000, "m");
  part(1'000, "s");
  part(1, "ms");
  return text;
}

}  // namespace gleaner::units
