#pragma once
// The exposition read back by the tests themselves, independently of
// gleaner's code and of promtool: every sample with its label names and
// unescaped values, every HELP and TYPE line. Lets a test ask what promtool
// does not check (a label name twice in one series, a family under two TYPE
// lines, a series that should not be there) and compare values bit for bit.

#include <cmath>
#include <cstdlib>
#include <cstring>
#include <map>
#include <optional>
#include <ostream>
#include <sstream>
#include <string>
#include <vector>

namespace gleaner::testing {

struct ExposedLabel {
  std::string name;
  std::string value;  // unescaped
  friend bool operator==(const ExposedLabel&, const ExposedLabel&) = default;
};

struct ExposedSample {
  std::string name;
  std::vector<ExposedLabel> labels;  // in printed order
  std::string value;                 // as printed
  std::string line;

  std::optional<std::string> label(const std::string& label_name) const {
    for (const auto& l : labels) {
      if (l.name == label_name) return l.value;
    }
    return std::nullopt;
  }
  // The printed value as a double (NaN, +Inf and -Inf included).
  double number() const { return std::strtod(value.c_str(), nullptr); }
};

// How a test failure shows a sample: its line.
inline void PrintTo(const ExposedSample& sample, std::ostream* out) { *out << sample.line; }

struct ExposedHeader {
  std::string family;
  std::string text;  // HELP: the text, still escaped; TYPE: the type
};

struct ExposedText {
  std::vector<ExposedSample> samples;
  std::vector<ExposedHeader> helps;
  std::vector<ExposedHeader> types;
  std::vector<std::string> unreadable;  // lines this reader could not make sense of

  // Samples of this name (histogram parts by their own name: x_bucket).
  std::vector<ExposedSample> named(const std::string& name) const {
    std::vector<ExposedSample> out;
    for (const auto& sample : samples) {
      if (sample.name == name) out.push_back(sample);
    }
    return out;
  }

  // Samples of this name whose labels are exactly these, in any order.
  std::vector<ExposedSample> find(const std::string& name, const std::map<std::string, std::string>& labels) const {
    std::vector<ExposedSample> out;
    for (const auto& sample : samples) {
      if (sample.name != name || sample.labels.size() != labels.size()) continue;
      bool same = true;
      for (const auto& label : sample.labels) {
        const auto it = labels.find(label.name);
        if (it == labels.end() || it->second != label.value) same = false;
      }
      if (same) out.push_back(sample);
    }
    return out;
  }

  // Samples of this name carrying label name=value (among others).
  std::vector<ExposedSample> with_label(const std::string& name, const std::string& label_name,
                                        const std::string& label_value) const {
    std::vector<ExposedSample> out;
    for (const auto& sample : samples) {
      if (sample.name == name && sample.label(label_name) == label_value) out.push_back(sample);
    }
    return out;
  }

  std::vector<std::string> types_of(const std::string& family) const {
    std::vector<std::string> out;
    for (const auto& header : types) {
      if (header.family == family) out.push_back(header.text);
    }
    return out;
  }
  std::vector<std::string> helps_of(const std::string& family) const {
    std::vector<std::string> out;
    for (const auto& header : helps) {
      if (header.family == family) out.push_back(header.text);
    }
    return out;
  }

  // Sample lines in which one label name appears twice.
  std::vector<std::string> duplicate_label_names() const {
    std::vector<std::string> out;
    for (const auto& sample : samples) {
      std::map<std::string, int> seen;
      for (const auto& label : sample.labels) {
        if (++seen[label.name] == 2) {
          out.push_back(sample.line);
          break;
        }
      }
    }
    return out;
  }

  // Families with more than one TYPE line (or more than one HELP line).
  std::vector<std::string> families_with_two_headers() const {
    std::vector<std::string> out;
    std::map<std::string, int> type_count, help_count;
    for (const auto& header : types) {
      if (++type_count[header.family] == 2) out.push_back("TYPE " + header.family);
    }
    for (const auto& header : helps) {
      if (++help_count[header.family] == 2) out.push_back("HELP " + header.family);
    }
    return out;
  }

  // Sample lines that appear twice: the same name and the same labels (in
  // any order).
  std::vector<std::string> repeated_series() const {
    std::vector<std::string> out;
    std::map<std::pair<std::string, std::map<std::string, std::string>>, int> seen;
    for (const auto& sample : samples) {
      std::map<std::string, std::string> labels;
      for (const auto& label : sample.labels) labels.emplace(label.name, label.value);
      if (++seen[{sample.name, labels}] == 2) out.push_back(sample.line);
    }
    return out;
  }

  // Families (by TYPE line, or a sample's name when it has none) without a
  // HELP line, or with an empty one. A sample x_bucket, x_sum, x_count or x belongs to
  // the histogram or summary x declared by a TYPE line.
  std::vector<std::string> families_without_help() const {
    std::map<std::string, std::string> type_of;
    for (const auto& header : types) type_of.emplace(header.family, header.text);
    std::map<std::string, bool> helped;
    // An empty HELP is no help (promtool says "no help text" for it too).
    for (const auto& header : helps) helped[header.family] = helped[header.family] || !header.text.empty();
    std::vector<std::string> out;
    std::map<std::string, bool> reported;
    const auto family_of = [&](const std::string& name) {
      for (const char* suffix : {"_bucket", "_sum", "_count"}) {
        const std::size_t length = std::strlen(suffix);
        if (name.size() > length && name.compare(name.size() - length, length, suffix) == 0) {
          const auto base = name.substr(0, name.size() - length);
          const auto type = type_of.find(base);
          if (type != type_of.end() && (type->second == "histogram" || type->second == "summary")) return base;
        }
      }
      return name;
    };
    for (const auto& header : types) {
      if (!helped[header.family] && !reported[header.family]) {
        reported[header.family] = true;
        out.push_back(header.family);
      }
    }
    for (const auto& sample : samples) {
      const auto family = family_of(sample.name);
      if (!helped[family] && !reported[family]) {
        reported[family] = true;
        out.push_back(family);
      }
    }
    return out;
  }
};

namespace exposition_reader_detail {

inline bool name_start(char c) { return std::isalpha(static_cast<unsigned char>(c)) || c == '_' || c == ':'; }
inline bool name_char(char c) { return name_start(c) || std::isdigit(static_cast<unsigned char>(c)); }

// Reads a quoted label value at text[at] == '"'; leaves at after the
// closing quote. False on a bad escape or no closing quote.
inline bool read_quoted(const std::string& text, std::size_t& at, std::string& value) {
  ++at;
  while (at < text.size()) {
    const char c = text[at++];
    if (c == '"') return true;
    if (c == '\\') {
      if (at >= text.size()) return false;
      const char escaped = text[at++];
      if (escaped == 'n') value += '\n';
      else if (escaped == '\\') value += '\\';
      else if (escaped == '"') value += '"';
      else return false;
    } else {
      value += c;
    }
  }
  return false;
}

inline bool read_sample(const std::string& line, ExposedSample& sample) {
  std::size_t at = 0;
  if (at >= line.size() || !name_start(line[at])) return false;
  while (at < line.size() && name_char(line[at])) sample.name += line[at++];
  if (at < line.size() && line[at] == '{') {
    ++at;
    for (;;) {
      while (at < line.size() && line[at] == ' ') ++at;
      if (at < line.size() && line[at] == '}') {
        ++at;
        break;
      }
      ExposedLabel label;
      if (at >= line.size() || !name_start(line[at]) || line[at] == ':') return false;
      while (at < line.size() && name_char(line[at]) && line[at] != ':') label.name += line[at++];
      while (at < line.size() && line[at] == ' ') ++at;
      if (at >= line.size() || line[at] != '=') return false;
      ++at;
      while (at < line.size() && line[at] == ' ') ++at;
      if (at >= line.size() || line[at] != '"') return false;
      if (!read_quoted(line, at, label.value)) return false;
      sample.labels.push_back(std::move(label));
      while (at < line.size() && line[at] == ' ') ++at;
      if (at < line.size() && line[at] == ',') {
        ++at;
        continue;
      }
      if (at < line.size() && line[at] == '}') {
        ++at;
        break;
      }
      return false;
    }
  }
  if (at >= line.size() || line[at] != ' ') return false;
  while (at < line.size() && line[at] == ' ') ++at;
  const auto end = line.find(' ', at);
  sample.value = line.substr(at, end == std::string::npos ? std::string::npos : end - at);
  if (sample.value.empty()) return false;
  char* parsed_end = nullptr;
  std::strtod(sample.value.c_str(), &parsed_end);
  return parsed_end && *parsed_end == '\0';
}

}  // namespace exposition_reader_detail

inline ExposedText read_exposition(const std::string& text) {
  using namespace exposition_reader_detail;
  ExposedText out;
  std::istringstream lines(text);
  for (std::string line; std::getline(lines, line);) {
    if (line.empty()) continue;
    if (line[0] == '#') {
      std::istringstream words(line);
      std::string hash, kind, family;
      words >> hash >> kind >> family;
      if (kind != "HELP" && kind != "TYPE") continue;  // a comment
      const auto text_start = line.find(family, hash.size() + 1 + kind.size()) + family.size();
      std::string rest = text_start < line.size() ? line.substr(text_start + 1) : "";
      (kind == "HELP" ? out.helps : out.types).push_back({family, rest});
      continue;
    }
    ExposedSample sample;
    sample.line = line;
    if (read_sample(line, sample)) {
      out.samples.push_back(std::move(sample));
    } else {
      out.unreadable.push_back(line);
    }
  }
  return out;
}

// The double a command's printed number stands for, as strtod reads it.
inline double printed_number(const std::string& text) { return std::strtod(text.c_str(), nullptr); }

// Whether two doubles are the same bits (NaN equal to NaN of any payload).
inline bool same_double(double a, double b) {
  if (std::isnan(a) || std::isnan(b)) return std::isnan(a) && std::isnan(b);
  return std::memcmp(&a, &b, sizeof a) == 0;
}

}  // namespace gleaner::testing
