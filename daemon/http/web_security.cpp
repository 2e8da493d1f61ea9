#include "daemon/http/web_security.h"

#include "daemon/http/openssl_on_demand.h"
#include "daemon/http/renewing_tls_context.h"
#include "daemon/http/tls_context.h"

namespace gleaner::http {

WebSecurity::WebSecurity(std::shared_ptr<const BasicAuthCredentials> basic_auth,
                         std::shared_ptr<RenewingTlsContext> tls, HeaderList headers)
    : basic_auth_(std::move(basic_auth)), tls_(std::move(tls)), headers_(std::move(headers)) {}

boost::asio::ssl::context* WebSecurity::tls_context() const { return tls_ ? tls_->current() : nullptr; }

std::shared_ptr<boost::asio::ssl::context> WebSecurity::tls_context_for_new_connection() const {
  return tls_ ? tls_->for_new_connection() : nullptr;
}

WebSecurityLoad load_web_security(const WebSecuritySettings& settings) {
  const bool authenticates = settings.basic_auth || !settings.users.empty();
  if (authenticates || settings.tls) {
    // Both check with OpenSSL's functions (digests, TLS): load it now, so
    // that a check or a reload refuses what could not be served.
    if (const std::string error = load_openssl(); !error.empty()) {
      const std::string what = settings.tls ? "TLS" : "basic auth";
      return {.security = nullptr,
              .error = what + " needs OpenSSL (libssl.so.3), which could not be loaded: " + error,
              .error_field = settings.tls ? "tls" : (settings.basic_auth ? "basic_auth" : "basic_auth_users")};
    }
  }
  std::shared_ptr<const BasicAuthCredentials> credentials;
  if (authenticates) {
    BasicAuthCredentialsLoad load = settings.basic_auth ? BasicAuthCredentials::load(*settings.basic_auth)
                                                        : BasicAuthCredentials::from_users(settings.users);
    if (!load.error.empty())
      return {.security = nullptr, .error = std::move(load.error), .error_field = load.error_field};
    credentials = std::move(load.credentials);
  }
  std::shared_ptr<RenewingTlsContext> tls;
  if (settings.tls) {
    auto seen = RenewingTlsContext::look(*settings.tls);
    TlsContextLoad load = load_tls_context(*settings.tls);
    if (!load.error.empty())
      return {.security = nullptr, .error = std::move(load.error), .error_field = load.error_field};
    tls = std::make_shared<RenewingTlsContext>(*settings.tls, std::move(load.context), std::move(seen));
  }
  return {.security = std::make_shared<const WebSecurity>(std::move(credentials), std::move(tls), settings.headers),
          .error = {},
          .error_field = {}};
}

}  // namespace gleaner::http
