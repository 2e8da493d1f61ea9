#pragma once
// What the parser fuzz targets assert. libFuzzer only notices crashes, so a
// broken promise of parser.h is turned into one: print what was broken,
// then abort(), and libFuzzer saves the input as a reproducer.

#include <cmath>
#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <exception>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "common/metrics/names.h"
#include "common/metrics/validate.h"
#include "common/parsers/parser.h"

namespace gleaner::fuzz {

[[noreturn]] inline void violated(std::string_view promise, std::string_view detail) {
  std::fprintf(stderr, "\n==== fuzz invariant violated: %.*s\n==== %.*s\n", static_cast<int>(promise.size()),
               promise.data(), static_cast<int>(detail.size()), detail.data());
  std::abort();
}

// Error messages quote the output only in short pieces (parse_error.h), so
// that a megabyte of garbage never becomes a megabyte log line. A quoted
// piece takes at most about 200 bytes (48 bytes of \x01 escapes); this
// bound leaves room for a handful of them, and no more.
inline constexpr std::size_t kMaxErrorBytes = 2048;

// NaN is a valid sample value; two parses of one input must agree on it too.
inline bool same_value(double a, double b) { return a == b || (std::isnan(a) && std::isnan(b)); }

inline bool same_families(const metrics::Families& a, const metrics::Families& b) {
  if (a.size() != b.size()) return false;
  for (std::size_t f = 0; f < a.size(); ++f) {
    if (a[f].name != b[f].name || a[f].type != b[f].type || a[f].help != b[f].help ||
        a[f].samples.size() != b[f].samples.size()) {
      return false;
    }
    for (std::size_t s = 0; s < a[f].samples.size(); ++s) {
      const auto& x = a[f].samples[s];
      const auto& y = b[f].samples[s];
      if (x.name != y.name || x.labels != y.labels || !same_value(x.value, y.value)) return false;
    }
  }
  return true;
}

inline parsers::ParseOutput parse_or_die(const parsers::Parser& parser, const parsers::ParseInput& input) {
  try {
    return parser.parse(input);
  } catch (const std::exception& error) {
    violated("parse() never throws", error.what());
  } catch (...) {
    violated("parse() never throws", "(an exception not derived from std::exception)");
  }
}

// The promises of parser.h for one input: no throw, no crash (the
// sanitizers watch), valid families or an error (never both), an error
// that is short valid UTF-8, and the same answer twice (parse is pure).
inline void check_parse(const parsers::Parser& parser, std::string_view text, int exit_code = 0) {
  const parsers::ParseInput input{text, exit_code};
  const auto output = parse_or_die(parser, input);
  if (output.ok()) {
    if (auto problem = metrics::check_families(output.families); !problem.empty()) {
      violated("a successful parse passes metrics::check_families", problem);
    }
  } else {
    if (!output.families.empty()) violated("a failed parse returns no families", output.error);
    if (output.error.size() > kMaxErrorBytes) {
      violated("an error message stays short",
               std::to_string(output.error.size()) + " bytes: " + output.error.substr(0, 300) + "…");
    }
    if (metrics::sanitize_utf8(output.error) != output.error) {
      violated("an error message is valid UTF-8", output.error);
    }
  }
  const auto again = parse_or_die(parser, input);
  if (again.error != output.error || !same_families(again.families, output.families)) {
    violated("parse() is pure: the same input gives the same output", output.error + " / " + again.error);
  }
}

// The catalog's readers (plugins/apt, plugins/mdraid, plugins/chrony) turn
// a tool's output into a value with an `error`, which the plugin reports as
// the run's failure: the same promises as a parser's error (short, valid
// UTF-8), and on one line, since it is logged as one.
inline void check_reader_error(std::string_view reader, const std::string& error) {
  const std::string who(reader);
  if (error.size() > kMaxErrorBytes) {
    violated(who + ": an error message stays short",
             std::to_string(error.size()) + " bytes: " + error.substr(0, 300) + "…");
  }
  if (metrics::sanitize_utf8(error) != error) violated(who + ": an error message is valid UTF-8", error);
  if (error.find_first_of("\r\n") != std::string::npos) violated(who + ": an error message is one line", error);
}

// What a reader's families promise: they pass metrics::check_families, as
// a parser's do (the admission would otherwise drop series silently).
inline void check_reader_families(std::string_view reader, const metrics::Families& families) {
  if (auto problem = metrics::check_families(families); !problem.empty()) {
    violated(std::string(reader) + ": its families pass metrics::check_families", problem);
  }
}

// An input made of several outputs, cut at lines "--8<--" (a line no tool
// prints): part i, or "" when there are fewer.
inline std::vector<std::string_view> split_parts(std::string_view text, std::size_t count) {
  static constexpr std::string_view kCut = "\n--8<--\n";
  std::vector<std::string_view> parts;
  while (parts.size() + 1 < count) {
    const auto cut = text.find(kCut);
    if (cut == std::string_view::npos) break;
    parts.push_back(text.substr(0, cut));
    text.remove_prefix(cut + kCut.size());
  }
  parts.push_back(text);
  parts.resize(count);
  return parts;
}

// The promises of on_error (parsers/bad_lines.h) for one input, given the
// same parser under skip and under fail: what fail accepts, skip accepts
// alike with nothing skipped; what skip reads without skipping, fail
// accepts; a skip that succeeds says why exactly when it skipped.
inline void check_on_error_modes(const parsers::Parser& skip, const parsers::Parser& fail, std::string_view text,
                                 int exit_code = 0) {
  const parsers::ParseInput input{text, exit_code};
  const auto lenient = parse_or_die(skip, input);
  const auto strict = parse_or_die(fail, input);
  if (strict.ok() && (!lenient.ok() || lenient.skipped != 0 || !same_families(lenient.families, strict.families))) {
    violated("on_error: skip reads what fail reads, skipping nothing", lenient.error + lenient.first_skipped);
  }
  if (lenient.ok() && lenient.skipped == 0 && !strict.ok()) {
    violated("on_error: fail accepts what skip reads without skipping", strict.error);
  }
  if (strict.skipped != 0) violated("on_error: fail never skips", strict.first_skipped);
  if (lenient.ok() && (lenient.skipped == 0) != lenient.first_skipped.empty()) {
    violated("first_skipped is set exactly when lines were skipped", lenient.first_skipped);
  }
  if (lenient.first_skipped.size() > kMaxErrorBytes) violated("first_skipped stays short", lenient.first_skipped);
}

// Parsers are neither copied nor moved (a RegexParser owns its RE2).
using ParserSet = std::vector<std::unique_ptr<const parsers::Parser>>;

// Targets with several option sets: the first byte picks one ('0' the
// first, '1' the second, …; any other byte some set), the rest is the text.
// Seeds made from fixtures start with the digit of the set they fit.
struct Picked {
  std::size_t index = 0;
  std::string_view text;
};

inline Picked pick_option_set(const std::uint8_t* data, std::size_t size, std::size_t set_count) {
  if (size == 0) return {};
  const auto selector = static_cast<unsigned char>(data[0] - '0');
  return {selector % set_count, std::string_view(reinterpret_cast<const char*>(data) + 1, size - 1)};
}

inline std::string_view as_text(const std::uint8_t* data, std::size_t size) {
  return std::string_view(reinterpret_cast<const char*>(data), size);
}

}  // namespace gleaner::fuzz
