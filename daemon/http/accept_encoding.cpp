#include "daemon/http/accept_encoding.h"

#include <algorithm>
#include <optional>
#include <string>

#include "daemon/http/ascii_case.h"
#include "daemon/http/header_list.h"

namespace gleaner::http {
namespace {

// The weight of one list element ("gzip;q=0.5" → 500); nothing if malformed.
std::optional<int> weight_of(std::string_view parameters) {
  int weight = 1000;
  while (!parameters.empty()) {
    const auto semicolon = parameters.find(';');
    const std::string_view parameter = trim_whitespace(parameters.substr(0, semicolon));
    parameters = semicolon == std::string_view::npos ? std::string_view{} : parameters.substr(semicolon + 1);
    const auto equals = parameter.find('=');
    if (equals == std::string_view::npos) return std::nullopt;
    if (!iequals_ascii(trim_whitespace(parameter.substr(0, equals)), "q")) continue;  // other parameters don't matter
    const auto q = parse_qvalue(trim_whitespace(parameter.substr(equals + 1)));
    if (!q) return std::nullopt;
    weight = *q;
  }
  return weight;
}

// What one list says about gzip, kept apart from what "*" says about it.
struct GzipPreference {
  std::optional<int> gzip_weight;
  std::optional<int> wildcard_weight;

  void read(std::string_view list) {
    while (!list.empty()) {
      const auto comma = list.find(',');
      const std::string_view element = trim_whitespace(list.substr(0, comma));
      list = comma == std::string_view::npos ? std::string_view{} : list.substr(comma + 1);
      const auto semicolon = element.find(';');
      const std::string_view coding = trim_whitespace(element.substr(0, semicolon));
      const auto weight =
          weight_of(semicolon == std::string_view::npos ? std::string_view{} : element.substr(semicolon + 1));
      if (!weight || coding.empty()) continue;
      if (iequals_ascii(coding, "gzip") || iequals_ascii(coding, "x-gzip")) {
        gzip_weight = std::max(gzip_weight.value_or(0), *weight);
      } else if (coding == "*") {
        wildcard_weight = std::max(wildcard_weight.value_or(0), *weight);
      }
    }
  }

  bool allows_gzip() const {
    if (gzip_weight) return *gzip_weight > 0;
    return wildcard_weight.value_or(0) > 0;
  }
};

}  // namespace

bool accepts_gzip(std::string_view accept_encoding) {
  GzipPreference preference;
  preference.read(accept_encoding);
  return preference.allows_gzip();
}

bool accepts_gzip(const boost::beast::http::fields& headers) {
  GzipPreference preference;
  const auto [first, last] = headers.equal_range(boost::beast::http::field::accept_encoding);
  for (auto it = first; it != last; ++it) preference.read(it->value());
  return preference.allows_gzip();
}

}  // namespace gleaner::http
