#pragma once
// The `web:` settings (basic auth, TLS) loaded into what the server applies:
//
//   WebSecurityLoad load = load_web_security(settings);
//   if (!load.error.empty()) { report load.error at load.error_field; }
//   else server.set_security(load.security);
//
// Loading reads the password file and the certificate and key (blocking, as
// configuration loading does), so a configuration check and a reload catch
// every problem before anything is applied. Once loaded, a WebSecurity never
// changes; a reload loads a new one.

#include <memory>
#include <optional>
#include <string>

#include "http/basic_auth_credentials.h"
#include "http/tls_context.h"

namespace gleaner::http {

struct WebSecuritySettings {
  std::optional<BasicAuthSettings> basic_auth;  // absent: no authentication
  std::optional<TlsSettings> tls;               // absent: plain HTTP
};

class WebSecurity {
 public:
  WebSecurity(std::shared_ptr<const BasicAuthCredentials> basic_auth,
              std::shared_ptr<boost::asio::ssl::context> tls_context);

  // Null: every request passes.
  const std::shared_ptr<const BasicAuthCredentials>& basic_auth() const { return basic_auth_; }
  // Null: connections are plain HTTP. Not const: streams are made from it,
  // which changes nothing about its configuration.
  boost::asio::ssl::context* tls_context() const { return tls_context_.get(); }

 private:
  std::shared_ptr<const BasicAuthCredentials> basic_auth_;
  std::shared_ptr<boost::asio::ssl::context> tls_context_;
};

struct WebSecurityLoad {
  // Set exactly when error is empty (also for settings that ask for nothing).
  std::shared_ptr<const WebSecurity> security;
  // A message a user can act on, naming the file at fault: "cannot read
  // /etc/gleaner/web.pass: Permission denied".
  std::string error;
  // The setting at fault, for pointing at it in the configuration:
  // "basic_auth.username", "basic_auth.password_file", "tls.cert_file",
  // "tls.key_file", or "tls" when the certificate and key do not belong together.
  std::string error_field;
};

WebSecurityLoad load_web_security(const WebSecuritySettings& settings);

}  // namespace gleaner::http
