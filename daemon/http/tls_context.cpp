#include "daemon/http/tls_context.h"

#include <openssl/bio.h>
#include <openssl/err.h>
#include <openssl/pem.h>
#include <openssl/ssl.h>
#include <openssl/x509.h>

#include "common/files/bounded_file.h"
#include "daemon/http/client_certificate.h"
#include "daemon/http/digest.h"

namespace gleaner::http {

static_assert(kTls12Version == TLS1_2_VERSION && kTls13Version == TLS1_3_VERSION,
              "tls_settings.h numbers TLS versions as OpenSSL does");

namespace {

namespace ssl = boost::asio::ssl;

constexpr std::size_t kMaxPemFileBytes = 1024 * 1024;

// Forward-secret AEAD suites for TLS 1.2; TLS 1.3's own suites are all of
// that kind, and OpenSSL's defaults for them stay.
constexpr const char* kTls12CipherSuites =
    "ECDHE-ECDSA-AES128-GCM-SHA256:ECDHE-RSA-AES128-GCM-SHA256:"
    "ECDHE-ECDSA-AES256-GCM-SHA384:ECDHE-RSA-AES256-GCM-SHA384:"
    "ECDHE-ECDSA-CHACHA20-POLY1305:ECDHE-RSA-CHACHA20-POLY1305";

TlsContextLoad failure(std::string field, std::string error) {
  return {.context = nullptr, .error = std::move(error), .error_field = std::move(field)};
}

// The first reason in OpenSSL's error queue ("no start line", "key values
// mismatch"), the most specific one; the queue is emptied for the next call.
std::string openssl_reason() {
  const unsigned long first = ERR_get_error();
  ERR_clear_error();
  const char* reason = first != 0 ? ERR_reason_error_string(first) : nullptr;
  return reason != nullptr ? reason : "unknown OpenSSL error";
}

// Answers OpenSSL's request for a key's passphrase with none, instead of
// letting it ask on the terminal, which would hang an unattended daemon.
int refuse_passphrase(char*, int, int, void*) { return 0; }

struct BioDeleter {
  void operator()(BIO* bio) const { BIO_free(bio); }
};
using Bio = std::unique_ptr<BIO, BioDeleter>;

struct X509Deleter {
  void operator()(X509* certificate) const { X509_free(certificate); }
};
using Certificate = std::unique_ptr<X509, X509Deleter>;

struct PrivateKeyDeleter {
  void operator()(EVP_PKEY* key) const { EVP_PKEY_free(key); }
};
using PrivateKey = std::unique_ptr<EVP_PKEY, PrivateKeyDeleter>;

Bio memory_bio(const std::string& content) {
  return Bio(BIO_new_mem_buf(content.data(), static_cast<int>(content.size())));
}

std::string join(const std::vector<std::string>& names) {
  std::string joined;
  for (const std::string& name : names) joined += (joined.empty() ? "" : ":") + name;
  return joined;
}

std::string configure_protocol(SSL_CTX* context, const TlsSettings& settings) {
  if (settings.min_version > settings.max_version) return "min_version is above max_version: no TLS version is left";
  if (SSL_CTX_set_min_proto_version(context, settings.min_version) != 1 ||
      SSL_CTX_set_max_proto_version(context, settings.max_version) != 1) {
    return "OpenSSL refused the TLS versions: " + openssl_reason();
  }
  const std::string suites = settings.cipher_suites.empty() ? kTls12CipherSuites : join(settings.cipher_suites);
  if (SSL_CTX_set_cipher_list(context, suites.c_str()) != 1) {
    return "OpenSSL refused the cipher suites " + suites + ": " + openssl_reason();
  }
  if (!settings.curves.empty() && SSL_CTX_set1_groups_list(context, join(settings.curves).c_str()) != 1) {
    return "OpenSSL refused the curves " + join(settings.curves) + ": " + openssl_reason();
  }
  SSL_CTX_set_options(context, SSL_OP_NO_COMPRESSION | SSL_OP_NO_RENEGOTIATION);
  if (settings.prefer_server_cipher_suites) SSL_CTX_set_options(context, SSL_OP_CIPHER_SERVER_PREFERENCE);
  // An idle kept-alive connection gives its read and write buffers back.
  SSL_CTX_set_mode(context, SSL_MODE_RELEASE_BUFFERS);
  SSL_CTX_set_default_passwd_cb(context, refuse_passphrase);
  return {};
}

// The text of a PEM setting: the file's (trusted, bounded) or the text
// written in the configuration.
std::string read_pem(const std::string& path, const std::string& text, files::FileRead* read) {
  if (path.empty()) {
    read->content = text;
    return text.empty() ? "is empty" : "";
  }
  *read = files::read_trusted_file(path, kMaxPemFileBytes);
  if (!read->error.empty()) return read->error;
  if (read->content.empty()) return path + " is empty";
  return {};
}

// The client CAs: the trust store client certificates are verified against,
// and the names the server sends when it asks for one.
std::string use_client_cas(SSL_CTX* context, const std::string& pem, const std::string& path) {
  const Bio bio = memory_bio(pem);
  X509_STORE* store = SSL_CTX_get_cert_store(context);
  STACK_OF(X509_NAME)* names = sk_X509_NAME_new_null();
  int count = 0;
  for (;; ++count) {
    Certificate ca(PEM_read_bio_X509(bio.get(), nullptr, refuse_passphrase, nullptr));
    if (!ca) break;
    if (X509_STORE_add_cert(store, ca.get()) != 1) {
      sk_X509_NAME_pop_free(names, X509_NAME_free);
      return "the CA certificate " + std::to_string(count + 1) + " in " + path + " cannot be used: " + openssl_reason();
    }
    sk_X509_NAME_push(names, X509_NAME_dup(X509_get_subject_name(ca.get())));
  }
  ERR_clear_error();
  if (count == 0) {
    sk_X509_NAME_pop_free(names, X509_NAME_free);
    return "no PEM certificate could be read from " + path;
  }
  SSL_CTX_set_client_CA_list(context, names);  // the context owns them now
  return {};
}

// The context and the policy its verification callback reads, in one
// allocation: the policy lives exactly as long as the context.
struct ContextWithPolicy {
  explicit ContextWithPolicy(const ClientCertificatePolicy& client_policy)
      : policy(client_policy), context(ssl::context::tls_server) {}
  ClientCertificatePolicy policy;
  ssl::context context;
};

// The first certificate is the server's; the ones after it go out with it
// as its chain.
std::string use_certificate_chain(SSL_CTX* context, const std::string& pem, const std::string& path) {
  const Bio bio = memory_bio(pem);
  const Certificate leaf(PEM_read_bio_X509_AUX(bio.get(), nullptr, refuse_passphrase, nullptr));
  if (!leaf) return "no PEM certificate could be read from " + path + ": " + openssl_reason();
  if (SSL_CTX_use_certificate(context, leaf.get()) != 1) {
    return "the certificate in " + path + " cannot be used: " + openssl_reason();
  }
  for (int position = 2;; ++position) {
    Certificate intermediate(PEM_read_bio_X509(bio.get(), nullptr, refuse_passphrase, nullptr));
    if (!intermediate) break;
    if (SSL_CTX_add0_chain_cert(context, intermediate.get()) != 1) {
      return "certificate " + std::to_string(position) + " in " + path + " cannot be used: " + openssl_reason();
    }
    intermediate.release();  // the context owns it now
  }
  // The loop ends when no certificate is left: "no start line" is that
  // end; anything else is a damaged certificate after the first.
  const unsigned long last = ERR_peek_last_error();
  if (last != 0 && !(ERR_GET_LIB(last) == ERR_LIB_PEM && ERR_GET_REASON(last) == PEM_R_NO_START_LINE)) {
    return "a certificate after the first in " + path + " is damaged: " + openssl_reason();
  }
  ERR_clear_error();
  return {};
}

PrivateKey read_private_key(const std::string& pem, const std::string& path, std::string* error) {
  if (pem.find("ENCRYPTED") != std::string::npos) {
    *error = "the private key in " + path +
             " is encrypted; the daemon needs it unencrypted (it cannot ask for a "
             "passphrase), readable by the daemon's user only";
    return nullptr;
  }
  const Bio bio = memory_bio(pem);
  PrivateKey key(PEM_read_bio_PrivateKey(bio.get(), nullptr, refuse_passphrase, nullptr));
  if (!key) *error = "no PEM private key could be read from " + path + ": " + openssl_reason();
  ERR_clear_error();  // decoders may leave notes about the formats they tried
  return key;
}

}  // namespace

TlsContextLoad load_tls_context(const TlsSettings& settings) {
  const std::string& cert_name = settings.cert_file.empty() ? std::string("the certificate text") : settings.cert_file;
  const std::string& key_name = settings.key_file.empty() ? std::string("the key text") : settings.key_file;
  files::FileRead certificate;
  if (std::string error = read_pem(settings.cert_file, settings.cert_text, &certificate); !error.empty()) {
    return failure("tls.cert_file", settings.cert_file.empty() ? cert_name + " " + error : error);
  }

  ERR_clear_error();
  auto bundle = std::make_shared<ContextWithPolicy>(settings.client_certificates);
  std::shared_ptr<ssl::context> context(bundle, &bundle->context);
  SSL_CTX* native = context->native_handle();
  std::string error = configure_protocol(native, settings);
  if (!error.empty()) return failure("tls", std::move(error));
  error = use_certificate_chain(native, certificate.content, cert_name);
  if (!error.empty()) return failure("tls.cert_file", std::move(error));

  // The key's text is held no longer than it takes to parse it.
  files::FileRead key;
  if (error = read_pem(settings.key_file, settings.key_text, &key); !error.empty()) {
    wipe(key.content);
    return failure("tls.key_file", settings.key_file.empty() ? key_name + " " + error : error);
  }
  const PrivateKey private_key = read_private_key(key.content, key_name, &error);
  wipe(key.content);
  if (!private_key) return failure("tls.key_file", std::move(error));
  if (X509_check_private_key(SSL_CTX_get0_certificate(native), private_key.get()) != 1) {
    ERR_clear_error();
    return failure("tls", "the private key in " + key_name + " does not belong to the certificate in " + cert_name);
  }
  if (SSL_CTX_use_PrivateKey(native, private_key.get()) != 1 || SSL_CTX_check_private_key(native) != 1) {
    return failure("tls.key_file", "the private key in " + key_name + " cannot be used: " + openssl_reason());
  }

  const std::string ca_name = settings.client_ca_file.empty() ? std::string("the client CA text") : settings.client_ca_file;
  if (!settings.client_ca_file.empty() || !settings.client_ca_text.empty()) {
    files::FileRead cas;
    if (error = read_pem(settings.client_ca_file, settings.client_ca_text, &cas); !error.empty()) {
      return failure("tls.client_ca_file", error);
    }
    if (error = use_client_cas(native, cas.content, ca_name); !error.empty()) {
      return failure("tls.client_ca_file", std::move(error));
    }
  } else if (settings.client_certificates.auth == ClientAuth::verify_if_given ||
             settings.client_certificates.auth == ClientAuth::require_and_verify) {
    // As Go's crypto/tls without ClientCAs: the system's CAs.
    SSL_CTX_set_default_verify_paths(native);
    ERR_clear_error();
  }
  apply_client_certificate_policy(native, &bundle->policy);
  return {.context = std::move(context), .error = {}, .error_field = {}};
}

}  // namespace gleaner::http
