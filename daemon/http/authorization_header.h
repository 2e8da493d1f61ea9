#pragma once
// The Authorization field of basic auth (RFC 7617): "Basic " and the
// base64 of "username:password".

#include <optional>
#include <string>
#include <string_view>

namespace gleaner::http {

struct PresentedCredentials {
  std::string username;
  std::string password;
};

// The credentials in an Authorization field value; nothing when there are
// none to check: an empty value, another scheme, base64 that does not decode
// (padding included), or no ':' after decoding.
std::optional<PresentedCredentials> parse_basic_authorization(std::string_view field_value);

}  // namespace gleaner::http
