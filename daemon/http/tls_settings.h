#pragma once
// The server's TLS as the web configuration file describes it (README "The
// web configuration"): plain values, so that what reads the configuration
// needs nothing of OpenSSL. tls_context.h makes an OpenSSL context of them,
// client_certificate.h says what the client policy means.

#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace gleaner::http {

enum class ClientAuth { none, request, require_any, verify_if_given, require_and_verify };

// exporter-toolkit's name (also its older "RequireClientCert", and "" for
// none) as a ClientAuth.
std::optional<ClientAuth> client_auth_by_name(std::string_view name);

struct ClientCertificatePolicy {
  ClientAuth auth = ClientAuth::none;
  // Set: a client must present a certificate with one of these SANs.
  std::optional<std::vector<std::string>> allowed_sans;
};

// Protocol versions as OpenSSL numbers them (TLS1_2_VERSION and
// TLS1_3_VERSION; tls_context.cpp checks that they are).
inline constexpr int kTls12Version = 0x0303;
inline constexpr int kTls13Version = 0x0304;

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
  int min_version = kTls12Version;
  int max_version = kTls13Version;
  // OpenSSL names of TLS 1.2 suites; empty: gleaner's forward-secret AEAD suites.
  std::vector<std::string> cipher_suites;
  // OpenSSL group names ("P-256", "X25519"); empty: OpenSSL's defaults.
  std::vector<std::string> curves;
  bool prefer_server_cipher_suites = true;
};

}  // namespace gleaner::http
