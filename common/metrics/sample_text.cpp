#include "common/metrics/sample_text.h"

#include <charconv>
#include <cmath>

namespace gleaner::metrics {

namespace {

// format_value(), appended to out.
void append_value(std::string& out, double value) {
  if (std::isnan(value)) {
    out += "NaN";
  } else if (std::isinf(value)) {
    out += value > 0 ? "+Inf" : "-Inf";
  } else {
    char buffer[32];
    const auto result = std::to_chars(buffer, buffer + sizeof buffer, value);
    out.append(buffer, result.ptr);
  }
}

}  // namespace

std::string format_value(double value) {
  std::string text;
  append_value(text, value);
  return text;
}

void append_escaped_label_value(std::string& out, std::string_view value) {
  for (char c : value) {
    switch (c) {
      case '\\': out += "\\\\"; break;
      case '"': out += "\\\""; break;
      case '\n': out += "\\n"; break;
      default: out += c;
    }
  }
}

namespace {

// Label and LabelView alike: each has .name and .value.
template <typename LabelList>
void append_line(std::string& out, std::string_view name, const LabelList& labels, double value) {
  out += name;
  if (labels.size() != 0) {
    out += '{';
    bool first = true;
    for (const auto& label : labels) {
      if (!first) out += ',';
      first = false;
      out += label.name;
      out += "=\"";
      append_escaped_label_value(out, label.value);
      out += '"';
    }
    out += '}';
  }
  out += ' ';
  append_value(out, value);
  out += '\n';
}

}  // namespace

void append_sample_line(std::string& out, std::string_view name, const Labels& labels, double value) {
  append_line(out, name, labels, value);
}

void append_sample_line(std::string& out, std::string_view name, std::initializer_list<LabelView> labels,
                        double value) {
  append_line(out, name, labels, value);
}

}  // namespace gleaner::metrics
