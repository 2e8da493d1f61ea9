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

#include "http/client_certificate.h"

namespace gleaner::http {

struct TlsSettings {
  std::string cert_file;  // PEM: the server's certificate first, then any intermediates
  std::string key_file;   // PEM, unencrypted: the daemon starts unattended
  // The PEM text itself, written in the web configuration file (its `cert`
  // and `key`), for a file left empty.
  std::string cert_text;
  std::string key_text;
  ClientCertificatePolicy client_certificates;
  std::string client_ca_file;  // PEM: the CAs that client certificates are verified against
  std::string client_ca_text;
  int min_version = TLS1_2_VERSION;
  int max_version = TLS1_3_VERSION;
  // OpenSSL names of TLS 1.2 suites; empty: gleaner's forward-secret AEAD suites.
  std::vector<std::string> cipher_suites;
  // OpenSSL group names ("P-256", "X25519"); empty: OpenSSL's defaults.
  std::vector<std::string> curves;
  bool prefer_server_cipher_suites = true;
};

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
