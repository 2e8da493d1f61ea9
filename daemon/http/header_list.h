#pragma once
// Pieces of the comma-separated lists of HTTP request fields (RFC 9110,
// section 5.6.1) that content negotiation reads: Accept, Accept-Encoding.

#include <optional>
#include <string_view>

namespace gleaner::http {

// Without leading and trailing spaces and tabs.
std::string_view trim_whitespace(std::string_view text);

// A weight, RFC 9110 section 12.4.2: qvalue = ( "0" [ "." 0*3DIGIT ] ) /
// ( "1" [ "." 0*3("0") ] ), in thousandths ("0.75" → 750); nothing when the
// text is not one.
std::optional<int> parse_qvalue(std::string_view text);

// Calls each(element) for every element of a list, trimmed; empty elements
// (",,") are skipped, as the RFC asks of recipients.
template <typename Each>
void for_each_list_element(std::string_view list, Each&& each) {
  while (!list.empty()) {
    const auto comma = list.find(',');
    const std::string_view element = trim_whitespace(list.substr(0, comma));
    list = comma == std::string_view::npos ? std::string_view{} : list.substr(comma + 1);
    if (!element.empty()) each(element);
  }
}

}  // namespace gleaner::http
