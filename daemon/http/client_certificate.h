#pragma once
// Mutual TLS: whether the server asks clients for a certificate, requires
// one, verifies it against the client CAs, and accepts it only when one of
// its subject alternative names is allowed. The semantics are those of Go's
// crypto/tls, which exporter-toolkit's client_auth_type names:
//
//   NoClientCert                nothing asked
//   RequestClientCert           asked; neither required nor verified
//   RequireAnyClientCert        required; not verified
//   VerifyClientCertIfGiven     asked; verified when given
//   RequireAndVerifyClientCert  required and verified
//
// and of exporter-toolkit's client_allowed_sans: the client's certificate
// (its first, the client's own) must carry one of the listed values among
// its DNS names, email addresses, IP addresses or URIs, compared as text.

#include <openssl/ssl.h>

#include <string>
#include <vector>

#include "daemon/http/tls_settings.h"

namespace gleaner::http {

// Applies policy to context. policy must outlive context (the context's
// verification callback reads it).
void apply_client_certificate_policy(SSL_CTX* context, const ClientCertificatePolicy* policy);

// After a handshake: "" when the connection may go on, else why not. A
// client that sent no certificate gets through OpenSSL's handshake unless
// one is required, but not past allowed SANs.
std::string refuse_client_certificate(SSL* connection);

// The subject alternative names of certificate, written as Go writes them.
std::vector<std::string> subject_alternative_names(X509* certificate);

}  // namespace gleaner::http
