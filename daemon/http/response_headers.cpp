#include "daemon/http/response_headers.h"

#include <algorithm>
#include <array>
#include <vector>

namespace gleaner::http {
namespace {

struct AllowedHeader {
  std::string_view name;
  std::vector<std::string_view> values;  // empty: any
};

const std::array<AllowedHeader, 5>& allowed_headers() {
  static const std::array<AllowedHeader, 5> headers = {{
      {"Strict-Transport-Security", {}},
      {"X-Content-Type-Options", {"nosniff"}},
      {"X-Frame-Options", {"deny", "sameorigin"}},
      {"X-XSS-Protection", {}},
      {"Content-Security-Policy", {}},
  }};
  return headers;
}

std::string quoted_list(const std::vector<std::string_view>& values) {
  std::string list;
  for (const std::string_view value : values) list += std::string(list.empty() ? "" : ", ") + "\"" + std::string(value) + "\"";
  return list;
}

}  // namespace

std::string check_response_header(std::string_view name, std::string_view value) {
  const auto& headers = allowed_headers();
  const auto allowed = std::find_if(headers.begin(), headers.end(),
                                    [name](const AllowedHeader& header) { return header.name == name; });
  if (allowed == headers.end()) {
    std::string names;
    for (const AllowedHeader& header : headers) names += std::string(names.empty() ? "" : ", ") + std::string(header.name);
    return "HTTP header \"" + std::string(name) + "\" can not be configured (only " + names + ")";
  }
  if (!allowed->values.empty() &&
      std::find(allowed->values.begin(), allowed->values.end(), value) == allowed->values.end()) {
    return "invalid value for " + std::string(name) + ": expected one of " + quoted_list(allowed->values) +
           ", but got \"" + std::string(value) + "\"";
  }
  const bool one_line = std::all_of(value.begin(), value.end(), [](char c) {
    return c == '\t' || (static_cast<unsigned char>(c) >= 0x20 && c != 0x7f);
  });
  if (!one_line) return "the value of " + std::string(name) + " must be one line of text, without control characters";
  return {};
}

}  // namespace gleaner::http
