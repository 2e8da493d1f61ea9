#pragma once
// The server's TLS configuration: a certificate (with its chain) and its
// private key, read from PEM files, in an OpenSSL context that every TLS
// connection is made from. By default TLS 1.2 at least, forward-secret AEAD
// cipher suites only; never compression nor renegotiation. The web
// configuration file may choose versions, suites and curves, and ask
// clients for certificates (client_certificate.h).

#include <openssl/ssl.h>

#include <boost/asio/ssl/context.hpp>
#include <memory>
#include <string>
#include <vector>

#include "daemon/http/tls_settings.h"

namespace gleaner::http {

struct TlsContextLoad {
  std::shared_ptr<boost::asio::ssl::context> context;  // set exactly when error is empty
  std::string error;
  // "tls.cert_file", "tls.key_file", "tls.client_ca_file", or "tls" when
  // they do not fit together or a setting is refused.
  std::string error_field;
};

// Reads the files (blocking, each through the trust checks of
// files/trusted_file.h) and builds the context.
TlsContextLoad load_tls_context(const TlsSettings& settings);

}  // namespace gleaner::http
