#pragma once
// The server's TLS configuration: a certificate (with its chain) and its
// private key, read from PEM files, in an OpenSSL context that every TLS
// connection is made from. TLS 1.2 at least, forward-secret AEAD cipher
// suites only, no compression, no renegotiation.

#include <boost/asio/ssl/context.hpp>
#include <memory>
#include <string>

namespace gleaner::http {

struct TlsSettings {
  std::string cert_file;  // PEM: the server's certificate first, then any intermediates
  std::string key_file;   // PEM, unencrypted: the daemon starts unattended
};

struct TlsContextLoad {
  std::shared_ptr<boost::asio::ssl::context> context;  // set exactly when error is empty
  std::string error;
  std::string error_field;  // "tls.cert_file", "tls.key_file", or "tls" when they do not fit together
};

// Reads both files (blocking) and builds the context.
TlsContextLoad load_tls_context(const TlsSettings& settings);

}  // namespace gleaner::http
