#include "http/tls_context.h"

#include <openssl/bio.h>
#include <openssl/err.h>
#include <openssl/pem.h>
#include <openssl/ssl.h>
#include <openssl/x509.h>

#include "files/bounded_file.h"
#include "http/digest.h"

namespace gleaner::http {
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

std::string configure_protocol(SSL_CTX* context) {
  if (SSL_CTX_set_min_proto_version(context, TLS1_2_VERSION) != 1 ||
      SSL_CTX_set_cipher_list(context, kTls12CipherSuites) != 1) {
    return "OpenSSL refused the protocol settings: " + openssl_reason();
  }
  SSL_CTX_set_options(context, SSL_OP_NO_COMPRESSION | SSL_OP_NO_RENEGOTIATION);
  // An idle kept-alive connection gives its read and write buffers back.
  SSL_CTX_set_mode(context, SSL_MODE_RELEASE_BUFFERS);
  SSL_CTX_set_default_passwd_cb(context, refuse_passphrase);
  return {};
}

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
  const files::FileRead certificate = files::read_bounded_file(settings.cert_file, kMaxPemFileBytes);
  if (!certificate.error.empty()) return failure("tls.cert_file", certificate.error);
  if (certificate.content.empty()) return failure("tls.cert_file", settings.cert_file + " is empty");

  ERR_clear_error();
  auto context = std::make_shared<ssl::context>(ssl::context::tls_server);
  SSL_CTX* native = context->native_handle();
  std::string error = configure_protocol(native);
  if (!error.empty()) return failure("tls", std::move(error));
  error = use_certificate_chain(native, certificate.content, settings.cert_file);
  if (!error.empty()) return failure("tls.cert_file", std::move(error));

  // The key's text is held no longer than it takes to parse it.
  files::FileRead key = files::read_bounded_file(settings.key_file, kMaxPemFileBytes);
  if (!key.error.empty()) return failure("tls.key_file", std::move(key.error));
  if (key.content.empty()) return failure("tls.key_file", settings.key_file + " is empty");
  const PrivateKey private_key = read_private_key(key.content, settings.key_file, &error);
  wipe(key.content);
  if (!private_key) return failure("tls.key_file", std::move(error));
  if (X509_check_private_key(SSL_CTX_get0_certificate(native), private_key.get()) != 1) {
    ERR_clear_error();
    return failure("tls", "the private key in " + settings.key_file + " does not belong to the certificate in " +
                              settings.cert_file);
  }
  if (SSL_CTX_use_PrivateKey(native, private_key.get()) != 1 || SSL_CTX_check_private_key(native) != 1) {
    return failure("tls.key_file", "the private key in " + settings.key_file + " cannot be used: " + openssl_reason());
  }
  return {.context = std::move(context), .error = {}, .error_field = {}};
}

}  // namespace gleaner::http
