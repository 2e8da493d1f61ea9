#pragma once
// The `web:` settings (basic auth, TLS, response headers), from gleaner.yaml
// or from a web configuration file, loaded into what the server applies:
//
//   WebSecurityLoad load = load_web_security(settings);
//   if (!load.error.empty()) { report load.error at load.error_field; }
//   else server.set_security(load.security);
//
// Loading reads the password file and the certificate and key (blocking, as
// configuration loading does), so a configuration check and a reload catch
// every problem before anything is applied. Once loaded, a WebSecurity's
// users and headers never change (a reload loads a new one); its TLS
// context is made again when the certificate files change
// (renewing_tls_context.h).

#include <memory>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "daemon/http/basic_auth_credentials.h"
#include "daemon/http/tls_settings.h"

// Asio's TLS context: only the server's sources, which make streams of it,
// need the type itself (and OpenSSL with it).
namespace boost::asio::ssl {
class context;
}  // namespace boost::asio::ssl

namespace gleaner::http {

class RenewingTlsContext;

using HeaderList = std::vector<std::pair<std::string, std::string>>;

struct WebSecuritySettings {
  std::optional<BasicAuthSettings> basic_auth;  // one user and a password file
  BasicAuthUsers users;                         // or users and their bcrypt hashes; neither: no authentication
  std::optional<TlsSettings> tls;               // absent: plain HTTP
  HeaderList headers;                           // set on every response
};

class WebSecurity {
 public:
  WebSecurity(std::shared_ptr<const BasicAuthCredentials> basic_auth, std::shared_ptr<RenewingTlsContext> tls,
              HeaderList headers);

  // Null: every request passes.
  const std::shared_ptr<const BasicAuthCredentials>& basic_auth() const { return basic_auth_; }
  // Null: connections are plain HTTP. Not const: streams are made from it,
  // which changes nothing about its configuration.
  boost::asio::ssl::context* tls_context() const;
  // For a connection arriving now (io thread): the context, made again
  // first if its files changed. The connection keeps it alive.
  std::shared_ptr<boost::asio::ssl::context> tls_context_for_new_connection() const;
  const HeaderList& headers() const { return headers_; }

 private:
  std::shared_ptr<const BasicAuthCredentials> basic_auth_;
  std::shared_ptr<RenewingTlsContext> tls_;
  HeaderList headers_;
};

struct WebSecurityLoad {
  // Set exactly when error is empty (also for settings that ask for nothing).
  std::shared_ptr<const WebSecurity> security;
  // A message a user can act on, naming the file at fault: "cannot read
  // /etc/gleaner/web.pass: Permission denied".
  std::string error;
  // The setting at fault, for pointing at it in the configuration:
  // "basic_auth.username", "basic_auth.password_file", "basic_auth_users.NAME",
  // "tls.cert_file", "tls.key_file", "tls.client_ca_file", or "tls" when the
  // certificate and key do not belong together or a setting is refused.
  std::string error_field;
};

WebSecurityLoad load_web_security(const WebSecuritySettings& settings);

}  // namespace gleaner::http
