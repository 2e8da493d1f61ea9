#pragma once
// The Authorization field's value for basic auth, as a client sends it:
// basic_authorization("prometheus:secret") is "Basic cHJvbWV0aGV1czpzZWNyZXQ=".

#include <boost/beast/core/detail/base64.hpp>
#include <string>

namespace gleaner::testing {

inline std::string basic_authorization(const std::string& user_and_password) {
  std::string encoded(boost::beast::detail::base64::encoded_size(user_and_password.size()), '\0');
  encoded.resize(
      boost::beast::detail::base64::encode(encoded.data(), user_and_password.data(), user_and_password.size()));
  return "Basic " + encoded;
}

}  // namespace gleaner::testing
