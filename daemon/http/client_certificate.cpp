#include "daemon/http/client_certificate.h"

#include <arpa/inet.h>
#include <openssl/x509v3.h>

#include <algorithm>
#include <array>

namespace gleaner::http {
namespace {

// Where a context keeps its policy, for the verification callback.
int policy_index() {
  static const int index = SSL_CTX_get_ex_new_index(0, nullptr, nullptr, nullptr, nullptr);
  return index;
}

const ClientCertificatePolicy* policy_of(const SSL_CTX* context) {
  return static_cast<const ClientCertificatePolicy*>(SSL_CTX_get_ex_data(context, policy_index()));
}

bool verifies(ClientAuth auth) {
  return auth == ClientAuth::verify_if_given || auth == ClientAuth::require_and_verify;
}

bool has_allowed_san(X509* certificate, const std::vector<std::string>& allowed) {
  const std::vector<std::string> names = subject_alternative_names(certificate);
  return std::any_of(names.begin(), names.end(), [&allowed](const std::string& name) {
    return std::find(allowed.begin(), allowed.end(), name) != allowed.end();
  });
}

// Called by OpenSSL for each certificate of the client's chain, the
// client's own (depth 0) last, and again for each problem found.
int verify_client(int verified, X509_STORE_CTX* store) {
  auto* connection =
      static_cast<SSL*>(X509_STORE_CTX_get_ex_data(store, SSL_get_ex_data_X509_STORE_CTX_idx()));
  const ClientCertificatePolicy* policy = connection ? policy_of(SSL_get_SSL_CTX(connection)) : nullptr;
  if (policy == nullptr) return verified;
  // RequestClientCert and RequireAnyClientCert take any certificate.
  if (!verifies(policy->auth)) verified = 1;
  if (verified != 1) return 0;
  if (X509_STORE_CTX_get_error_depth(store) == 0 && policy->allowed_sans &&
      !has_allowed_san(X509_STORE_CTX_get_current_cert(store), *policy->allowed_sans)) {
    X509_STORE_CTX_set_error(store, X509_V_ERR_APPLICATION_VERIFICATION);
    return 0;
  }
  return 1;
}

std::string text_of(const ASN1_IA5STRING* text) {
  return std::string(reinterpret_cast<const char*>(ASN1_STRING_get0_data(text)),
                     static_cast<std::size_t>(ASN1_STRING_length(text)));
}

// As Go's net.IP.String(): dotted for IPv4, RFC 5952 for IPv6 (which
// inet_ntop writes), IPv4 for an IPv4-mapped IPv6 address.
std::string ip_text(const ASN1_OCTET_STRING* address) {
  const unsigned char* bytes = ASN1_STRING_get0_data(address);
  const int length = ASN1_STRING_length(address);
  std::array<char, INET6_ADDRSTRLEN> buffer{};
  static constexpr std::array<unsigned char, 12> kMappedPrefix = {0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0xff, 0xff};
  if (length == 16 && std::equal(kMappedPrefix.begin(), kMappedPrefix.end(), bytes)) {
    bytes += 12;
    return inet_ntop(AF_INET, bytes, buffer.data(), buffer.size()) ? buffer.data() : "";
  }
  if (length == 4) return inet_ntop(AF_INET, bytes, buffer.data(), buffer.size()) ? buffer.data() : "";
  if (length == 16) return inet_ntop(AF_INET6, bytes, buffer.data(), buffer.size()) ? buffer.data() : "";
  return {};
}

}  // namespace

std::optional<ClientAuth> client_auth_by_name(std::string_view name) {
  if (name.empty() || name == "NoClientCert") return ClientAuth::none;
  if (name == "RequestClientCert") return ClientAuth::request;
  if (name == "RequireAnyClientCert" || name == "RequireClientCert") return ClientAuth::require_any;
  if (name == "VerifyClientCertIfGiven") return ClientAuth::verify_if_given;
  if (name == "RequireAndVerifyClientCert") return ClientAuth::require_and_verify;
  return std::nullopt;
}

void apply_client_certificate_policy(SSL_CTX* context, const ClientCertificatePolicy* policy) {
  SSL_CTX_set_ex_data(context, policy_index(), const_cast<ClientCertificatePolicy*>(policy));
  int mode = SSL_VERIFY_NONE;
  switch (policy->auth) {
    case ClientAuth::none:
      break;
    case ClientAuth::request:
    case ClientAuth::verify_if_given:
      mode = SSL_VERIFY_PEER | SSL_VERIFY_CLIENT_ONCE;
      break;
    case ClientAuth::require_any:
    case ClientAuth::require_and_verify:
      mode = SSL_VERIFY_PEER | SSL_VERIFY_FAIL_IF_NO_PEER_CERT | SSL_VERIFY_CLIENT_ONCE;
      break;
  }
  SSL_CTX_set_verify(context, mode, mode == SSL_VERIFY_NONE ? nullptr : verify_client);
}

std::string refuse_client_certificate(SSL* connection) {
  const ClientCertificatePolicy* policy = policy_of(SSL_get_SSL_CTX(connection));
  if (policy == nullptr || !policy->allowed_sans) return {};
  if (SSL_get0_peer_certificate(connection) == nullptr) {
    return "no client certificate, and client_allowed_sans asks for one";
  }
  return {};
}

std::vector<std::string> subject_alternative_names(X509* certificate) {
  std::vector<std::string> names;
  auto* general_names =
      static_cast<GENERAL_NAMES*>(X509_get_ext_d2i(certificate, NID_subject_alt_name, nullptr, nullptr));
  if (general_names == nullptr) return names;
  for (int i = 0; i < sk_GENERAL_NAME_num(general_names); ++i) {
    const GENERAL_NAME* name = sk_GENERAL_NAME_value(general_names, i);
    switch (name->type) {
      case GEN_DNS: names.push_back(text_of(name->d.dNSName)); break;
      case GEN_EMAIL: names.push_back(text_of(name->d.rfc822Name)); break;
      case GEN_URI: names.push_back(text_of(name->d.uniformResourceIdentifier)); break;
      case GEN_IPADD:
        if (std::string ip = ip_text(name->d.iPAddress); !ip.empty()) names.push_back(std::move(ip));
        break;
      default: break;
    }
  }
  GENERAL_NAMES_free(general_names);
  return names;
}

}  // namespace gleaner::http
