// The request fields gleaner reads itself (daemon/http): Accept-Encoding
// (accept_encoding.h), Accept (accept_exposition.h), the list pieces they
// share (header_list.h) and basic auth's Authorization (authorization_header.h),
// on any bytes as a field value. Asserted, besides returning:
//  - the list helpers: trim_whitespace leaves no space or tab at either end
//    and is a piece of its input; each list element is trimmed, not empty
//    and holds no comma; a weight is 0 to 1000 and exactly what RFC 9110's
//    grammar reads (a reference reading here);
//  - Accept-Encoding and Accept: the answer is one of the documented ones,
//    the same for the value alone and as a request's only field, and an
//    element that names neither gzip nor a format (", identity", ", x/y")
//    added at the end changes nothing; split at a comma into two fields (when
//    no quote is in play), the same answer (README: several fields are one
//    list);
//  - Authorization: credentials read have no ':' in the username, and
//    written back as a client writes them ("Basic " and base64), read back
//    the same; and any username without ':' and password, so written, read.

#include <boost/beast/http/fields.hpp>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "tests/fuzz/fuzz_checks.h"
#include "daemon/http/accept_encoding.h"
#include "daemon/http/accept_exposition.h"
#include "daemon/http/authorization_header.h"
#include "daemon/http/beast_request_headers.h"
#include "daemon/http/header_list.h"

namespace {

using gleaner::fuzz::violated;
namespace http = gleaner::http;
namespace beast_http = boost::beast::http;

bool is_blank(char c) { return c == ' ' || c == '\t'; }

// RFC 9110, section 12.4.2, read independently: "0" [ "." 0*3DIGIT ] or
// "1" [ "." 0*3("0") ], in thousandths.
std::optional<int> reference_qvalue(std::string_view text) {
  if (text.empty() || (text[0] != '0' && text[0] != '1')) return std::nullopt;
  const bool one = text[0] == '1';
  if (text.size() == 1) return one ? 1000 : 0;
  if (text[1] != '.' || text.size() > 5) return std::nullopt;
  int thousandths = 0;
  int scale = 100;
  for (const char c : text.substr(2)) {
    if (c < '0' || c > '9' || (one && c != '0')) return std::nullopt;
    thousandths += (c - '0') * scale;
    scale /= 10;
  }
  return one ? 1000 : thousandths;
}

void check_list_helpers(std::string_view text) {
  const std::string_view trimmed = http::trim_whitespace(text);
  if (!trimmed.empty() && (is_blank(trimmed.front()) || is_blank(trimmed.back()))) {
    violated("trim_whitespace leaves no space or tab at either end", std::string(trimmed));
  }
  if (!trimmed.empty() && (trimmed.data() < text.data() || trimmed.data() + trimmed.size() > text.data() + text.size())) {
    violated("trim_whitespace gives a piece of its input", std::string(trimmed));
  }
  const auto weight = http::parse_qvalue(text);
  if (weight != reference_qvalue(text)) {
    violated("parse_qvalue reads RFC 9110's qvalue, and nothing else",
             std::string(text.substr(0, 40)) + ": " + (weight ? std::to_string(*weight) : "none"));
  }
  if (weight && (*weight < 0 || *weight > 1000)) violated("a weight is 0 to 1000", std::to_string(*weight));
  http::for_each_list_element(text, [&](std::string_view element) {
    if (element.empty() || is_blank(element.front()) || is_blank(element.back()) ||
        element.find(',') != std::string_view::npos) {
      violated("a list element is trimmed, not empty, without a comma", std::string(element));
    }
  });
}

beast_http::fields fields_of(beast_http::field name, std::initializer_list<std::string_view> values) {
  beast_http::fields fields;
  for (const auto value : values) fields.insert(name, value);
  return fields;
}

// The value cut at a comma outside any quote, for two fields; none if there
// is no such comma or a quote appears at all.
std::optional<std::pair<std::string_view, std::string_view>> cut_at_comma(std::string_view value) {
  if (value.find('"') != std::string_view::npos) return std::nullopt;
  const auto comma = value.find(',');
  if (comma == std::string_view::npos) return std::nullopt;
  return std::make_pair(value.substr(0, comma), value.substr(comma + 1));
}

void check_accept_encoding(std::string_view value) {
  const bool gzip = http::accepts_gzip(value);
  if (http::accepts_gzip(fields_of(beast_http::field::accept_encoding, {value})) != gzip) {
    violated("Accept-Encoding: one field says what its value says", std::string(value));
  }
  if (http::accepts_gzip(std::string(value) + ", identity") != gzip) {
    violated("Accept-Encoding: an element about another coding changes nothing", std::string(value));
  }
  if (const auto parts = cut_at_comma(value)) {
    if (http::accepts_gzip(fields_of(beast_http::field::accept_encoding, {parts->first, parts->second})) != gzip) {
      violated("Accept-Encoding: two fields are one list", std::string(value));
    }
  }
}

bool same_answer(const http::NegotiatedExposition& a, const http::NegotiatedExposition& b) {
  return a.format == b.format && a.content_type == b.content_type;
}

// The documented type, and `; escaping=…` after it when one was asked.
bool named_as(const std::string& content_type, std::string_view type) {
  return content_type == type || content_type.starts_with(std::string(type) + "; escaping=");
}

void check_accept(std::string_view value) {
  const auto answer = http::negotiate_exposition(value);
  const bool documented =
      (answer.format == http::ExpositionFormat::prometheus_text && named_as(answer.content_type, http::kPrometheusTextContentType)) ||
      (answer.format == http::ExpositionFormat::openmetrics &&
       (named_as(answer.content_type, http::kOpenMetrics1ContentType) || named_as(answer.content_type, http::kOpenMetrics001ContentType)));
  if (!documented) violated("Accept: the answer is a format gleaner writes, named as README names it", std::string(value));
  if (!same_answer(http::negotiate_exposition(http::BeastRequestHeaders(fields_of(beast_http::field::accept, {value}))), answer)) {
    violated("Accept: one field says what its value says", std::string(value));
  }
  // (Not after an open quote, where the comma would be inside it.)
  if (value.find('"') == std::string_view::npos &&
      !same_answer(http::negotiate_exposition(std::string(value) + ", x/y"), answer)) {
    violated("Accept: an element naming no format gleaner writes changes nothing", std::string(value));
  }
  if (const auto parts = cut_at_comma(value)) {
    if (!same_answer(http::negotiate_exposition(http::BeastRequestHeaders(fields_of(beast_http::field::accept, {parts->first, parts->second}))),
                     answer)) {
      violated("Accept: two fields are one list", std::string(value));
    }
  }
}

std::string base64(std::string_view bytes) {
  static constexpr char kAlphabet[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
  std::string text;
  for (std::size_t i = 0; i < bytes.size(); i += 3) {
    std::uint32_t group = static_cast<unsigned char>(bytes[i]) << 16;
    if (i + 1 < bytes.size()) group |= static_cast<unsigned char>(bytes[i + 1]) << 8;
    if (i + 2 < bytes.size()) group |= static_cast<unsigned char>(bytes[i + 2]);
    text += kAlphabet[(group >> 18) & 63];
    text += kAlphabet[(group >> 12) & 63];
    text += i + 1 < bytes.size() ? kAlphabet[(group >> 6) & 63] : '=';
    text += i + 2 < bytes.size() ? kAlphabet[group & 63] : '=';
  }
  return text;
}

void check_authorization(std::string_view value) {
  if (const auto credentials = http::parse_basic_authorization(value)) {
    if (credentials->username.find(':') != std::string::npos) {
      violated("Authorization: a username holds no ':'", credentials->username);
    }
    const auto again = http::parse_basic_authorization("Basic " + base64(credentials->username + ":" + credentials->password));
    if (!again || again->username != credentials->username || again->password != credentials->password) {
      violated("Authorization: credentials written back read back the same", std::string(value));
    }
  }
  // The input as a username and password of a client's own.
  const auto cut = value.find(':');
  const std::string_view username = value.substr(0, cut);
  const std::string_view password = cut == std::string_view::npos ? std::string_view{} : value.substr(cut + 1);
  const auto sent = http::parse_basic_authorization("Basic " + base64(std::string(username) + ":" + std::string(password)));
  if (!sent || sent->username != username || sent->password != password) {
    violated("Authorization: whatever a client sends is read as it sent it", std::string(value));
  }
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string_view value = gleaner::fuzz::as_text(data, size);
  check_list_helpers(value);
  check_authorization(value);
  // A field value as a request brings it: the HTTP parser ends it at CR or
  // LF and refuses NUL, so such bytes never reach the negotiation.
  if (value.find_first_of(std::string_view("\r\n\0", 3)) != std::string_view::npos) return 0;
  check_accept_encoding(value);
  check_accept(value);
  return 0;
}
