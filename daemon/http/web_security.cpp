#include "http/web_security.h"

namespace gleaner::http {

WebSecurity::WebSecurity(std::shared_ptr<const BasicAuthCredentials> basic_auth,
                         std::shared_ptr<boost::asio::ssl::context> tls_context)
    : basic_auth_(std::move(basic_auth)), tls_context_(std::move(tls_context)) {}

WebSecurityLoad load_web_security(const WebSecuritySettings& settings) {
  std::shared_ptr<const BasicAuthCredentials> credentials;
  if (settings.basic_auth) {
    BasicAuthCredentialsLoad load = BasicAuthCredentials::load(*settings.basic_auth);
    if (!load.error.empty())
      return {.security = nullptr, .error = std::move(load.error), .error_field = load.error_field};
    credentials = std::move(load.credentials);
  }
  std::shared_ptr<boost::asio::ssl::context> tls_context;
  if (settings.tls) {
    TlsContextLoad load = load_tls_context(*settings.tls);
    if (!load.error.empty())
      return {.security = nullptr, .error = std::move(load.error), .error_field = load.error_field};
    tls_context = std::move(load.context);
  }
  return {.security = std::make_shared<const WebSecurity>(std::move(credentials), std::move(tls_context)),
          .error = {},
          .error_field = {}};
}

}  // namespace gleaner::http
