#include "daemon/http/openssl_on_demand.h"

#include <dlfcn.h>
#include <openssl/asn1.h>
#include <openssl/bio.h>
#include <openssl/crypto.h>
#include <openssl/err.h>
#include <openssl/evp.h>
#include <openssl/hmac.h>
#include <openssl/opensslv.h>
#include <openssl/pem.h>
#include <openssl/rand.h>
#include <openssl/ssl.h>
#include <openssl/x509.h>
#include <openssl/x509v3.h>

#include <link.h>

#include <cstdio>
#include <cstdlib>
#include <vector>

// The library loaded is the one these headers describe: another major
// version has other functions and other structures.
static_assert(OPENSSL_VERSION_MAJOR == 3, "openssl_on_demand.cpp loads libssl.so.3");

namespace gleaner::http {

namespace {

constexpr const char* kLibrary = "libssl.so.3";  // its DT_NEEDED brings libcrypto.so.3

struct Loaded {
  void* handle = nullptr;
  std::string error;
};

// The name of every function defined below, each added by its definition.
std::vector<const char*>& defined_names() {
  static std::vector<const char*> names;
  return names;
}

// Why the library loaded is not the OpenSSL 3 the daemon was built for:
// the functions it lacks. Empty if it has them all.
std::string what_it_lacks(void* handle) {
  std::vector<const char*> missing;
  for (const char* name : defined_names()) {
    if (dlsym(handle, name) == nullptr) missing.push_back(name);
  }
  if (missing.empty()) return "";
  std::string path = kLibrary;
  if (link_map* map = nullptr; dlinfo(handle, RTLD_DI_LINKMAP, &map) == 0 && map != nullptr) path = map->l_name;
  std::string reason = path + " has no " + missing.front();
  if (missing.size() > 1) {
    reason += " (nor " + std::to_string(missing.size() - 1) + " more of the " +
              std::to_string(defined_names().size()) + " functions gleaner calls)";
  }
  return reason + ": it is not OpenSSL 3";
}

const Loaded& loaded() {
  static const Loaded result = [] {
    Loaded attempt;
    // RTLD_LOCAL: its symbols are found through this handle only, never
    // in place of the daemon's.
    attempt.handle = dlopen(kLibrary, RTLD_NOW | RTLD_LOCAL);
    if (attempt.handle == nullptr) {
      const char* reason = dlerror();
      attempt.error = reason != nullptr ? reason : std::string("cannot load ") + kLibrary;
      return attempt;
    }
    // Every function is looked for now, so that a library lacking one is
    // refused with the web settings rather than ending the daemon at that
    // function's first call.
    attempt.error = what_it_lacks(attempt.handle);
    if (!attempt.error.empty()) {
      dlclose(attempt.handle);
      attempt.handle = nullptr;
    }
    return attempt;
  }();
  return result;
}

// Only reached through a function of the web settings' (TLS, basic auth),
// which load_web_security has loaded, and checked for all of these
// functions, first: failing here is a call before that, a fault of gleaner.
void* find(const char* name) {
  const Loaded& library = loaded();
  void* symbol = library.handle != nullptr ? dlsym(library.handle, name) : nullptr;
  if (symbol == nullptr) {
    std::fprintf(stderr, "gleaner: cannot use OpenSSL's %s from %s: %s\n", name, kLibrary,
                 library.handle != nullptr ? "not found" : library.error.c_str());
    std::abort();
  }
  return symbol;
}

// Called by each definition below, as the daemon starts.
bool define_openssl_function(const char* name) {
  defined_names().push_back(name);
  return true;
}

template <typename Function>
struct ReturnOf;
template <typename Result, typename... Arguments>
struct ReturnOf<Result(Arguments...)> {
  using type = Result;
};

// The function of that name in libssl or libcrypto, found once.
template <typename Function>
Function* real(const char* name) {
  return reinterpret_cast<Function*>(find(name));
}

}  // namespace

std::string load_openssl() { return loaded().error; }

}  // namespace gleaner::http

// Each definition has the type OpenSSL's header declares for its name (the
// compiler refuses any other), calls the library's, and puts its name on
// the list load_openssl() checks.
#define GLEANER_FROM_OPENSSL(name, parameters, arguments)                                                  \
  extern "C" gleaner::http::ReturnOf<decltype(name)>::type name parameters {                              \
    static decltype(name)* const function = gleaner::http::real<decltype(name)>(#name);                   \
    return function arguments;                                                                             \
  }                                                                                                        \
  [[maybe_unused]] static const bool gleaner_defines_##name = gleaner::http::define_openssl_function(#name);

// libssl
GLEANER_FROM_OPENSSL(SSL_CTX_check_private_key, (const SSL_CTX* ctx), (ctx))
GLEANER_FROM_OPENSSL(SSL_CTX_ctrl, (SSL_CTX* ctx, int cmd, long larg, void* parg), (ctx, cmd, larg, parg))
GLEANER_FROM_OPENSSL(SSL_CTX_free, (SSL_CTX* ctx), (ctx))
GLEANER_FROM_OPENSSL(SSL_CTX_get0_certificate, (const SSL_CTX* ctx), (ctx))
GLEANER_FROM_OPENSSL(SSL_CTX_get_cert_store, (const SSL_CTX* ctx), (ctx))
GLEANER_FROM_OPENSSL(SSL_CTX_get_default_passwd_cb_userdata, (SSL_CTX* ctx), (ctx))
GLEANER_FROM_OPENSSL(SSL_CTX_get_ex_data, (const SSL_CTX* ctx, int index), (ctx, index))
GLEANER_FROM_OPENSSL(SSL_CTX_new, (const SSL_METHOD* method), (method))
GLEANER_FROM_OPENSSL(SSL_CTX_set_cipher_list, (SSL_CTX* ctx, const char* list), (ctx, list))
GLEANER_FROM_OPENSSL(SSL_CTX_set_client_CA_list, (SSL_CTX* ctx, STACK_OF(X509_NAME) * names), (ctx, names))
GLEANER_FROM_OPENSSL(SSL_CTX_set_default_passwd_cb, (SSL_CTX* ctx, pem_password_cb* callback), (ctx, callback))
GLEANER_FROM_OPENSSL(SSL_CTX_set_default_passwd_cb_userdata, (SSL_CTX* ctx, void* data), (ctx, data))
GLEANER_FROM_OPENSSL(SSL_CTX_set_default_verify_paths, (SSL_CTX* ctx), (ctx))
GLEANER_FROM_OPENSSL(SSL_CTX_set_ex_data, (SSL_CTX* ctx, int index, void* data), (ctx, index, data))
GLEANER_FROM_OPENSSL(SSL_CTX_set_options, (SSL_CTX* ctx, uint64_t options), (ctx, options))
GLEANER_FROM_OPENSSL(SSL_CTX_set_verify, (SSL_CTX* ctx, int mode, SSL_verify_cb callback), (ctx, mode, callback))
GLEANER_FROM_OPENSSL(SSL_CTX_use_PrivateKey, (SSL_CTX* ctx, EVP_PKEY* key), (ctx, key))
GLEANER_FROM_OPENSSL(SSL_CTX_use_certificate, (SSL_CTX* ctx, X509* certificate), (ctx, certificate))
GLEANER_FROM_OPENSSL(SSL_accept, (SSL* ssl), (ssl))
GLEANER_FROM_OPENSSL(SSL_connect, (SSL* ssl), (ssl))
GLEANER_FROM_OPENSSL(SSL_ctrl, (SSL* ssl, int cmd, long larg, void* parg), (ssl, cmd, larg, parg))
GLEANER_FROM_OPENSSL(SSL_free, (SSL* ssl), (ssl))
GLEANER_FROM_OPENSSL(SSL_get0_peer_certificate, (const SSL* ssl), (ssl))
GLEANER_FROM_OPENSSL(SSL_get_SSL_CTX, (const SSL* ssl), (ssl))
GLEANER_FROM_OPENSSL(SSL_get_error, (const SSL* ssl, int result), (ssl, result))
GLEANER_FROM_OPENSSL(SSL_get_ex_data, (const SSL* ssl, int index), (ssl, index))
GLEANER_FROM_OPENSSL(SSL_get_ex_data_X509_STORE_CTX_idx, (), ())
GLEANER_FROM_OPENSSL(SSL_get_shutdown, (const SSL* ssl), (ssl))
GLEANER_FROM_OPENSSL(SSL_new, (SSL_CTX * ctx), (ctx))
GLEANER_FROM_OPENSSL(SSL_read, (SSL* ssl, void* buffer, int size), (ssl, buffer, size))
GLEANER_FROM_OPENSSL(SSL_set_bio, (SSL* ssl, BIO* read, BIO* write), (ssl, read, write))
GLEANER_FROM_OPENSSL(SSL_set_ex_data, (SSL* ssl, int index, void* data), (ssl, index, data))
GLEANER_FROM_OPENSSL(SSL_shutdown, (SSL* ssl), (ssl))
GLEANER_FROM_OPENSSL(SSL_write, (SSL* ssl, const void* buffer, int size), (ssl, buffer, size))
GLEANER_FROM_OPENSSL(TLS_server_method, (), ())
// Asio's context constructor names every method; an unoptimised build
// (the sanitizers') keeps the calls the optimiser drops.
GLEANER_FROM_OPENSSL(TLS_client_method, (), ())
GLEANER_FROM_OPENSSL(TLS_method, (), ())

// libcrypto
GLEANER_FROM_OPENSSL(ASN1_STRING_get0_data, (const ASN1_STRING* text), (text))
GLEANER_FROM_OPENSSL(ASN1_STRING_length, (const ASN1_STRING* text), (text))
GLEANER_FROM_OPENSSL(BIO_ctrl, (BIO* bio, int cmd, long larg, void* parg), (bio, cmd, larg, parg))
GLEANER_FROM_OPENSSL(BIO_ctrl_pending, (BIO* bio), (bio))
GLEANER_FROM_OPENSSL(BIO_free, (BIO* bio), (bio))
GLEANER_FROM_OPENSSL(BIO_new_bio_pair, (BIO** first, size_t first_size, BIO** second, size_t second_size),
                     (first, first_size, second, second_size))
GLEANER_FROM_OPENSSL(BIO_new_mem_buf, (const void* buffer, int size), (buffer, size))
GLEANER_FROM_OPENSSL(BIO_read, (BIO* bio, void* buffer, int size), (bio, buffer, size))
GLEANER_FROM_OPENSSL(BIO_write, (BIO* bio, const void* buffer, int size), (bio, buffer, size))
GLEANER_FROM_OPENSSL(CRYPTO_get_ex_new_index,
                     (int class_index, long argl, void* argp, CRYPTO_EX_new* on_new, CRYPTO_EX_dup* on_dup,
                      CRYPTO_EX_free* on_free),
                     (class_index, argl, argp, on_new, on_dup, on_free))
GLEANER_FROM_OPENSSL(CRYPTO_memcmp, (const void* a, const void* b, size_t size), (a, b, size))
GLEANER_FROM_OPENSSL(ERR_clear_error, (), ())
GLEANER_FROM_OPENSSL(ERR_get_error, (), ())
GLEANER_FROM_OPENSSL(ERR_lib_error_string, (unsigned long error), (error))
GLEANER_FROM_OPENSSL(ERR_peek_last_error, (), ())
GLEANER_FROM_OPENSSL(ERR_reason_error_string, (unsigned long error), (error))
GLEANER_FROM_OPENSSL(EVP_Digest,
                     (const void* data, size_t size, unsigned char* digest, unsigned int* digest_size,
                      const EVP_MD* type, ENGINE* engine),
                     (data, size, digest, digest_size, type, engine))
GLEANER_FROM_OPENSSL(EVP_PKEY_free, (EVP_PKEY * key), (key))
GLEANER_FROM_OPENSSL(EVP_sha256, (), ())
GLEANER_FROM_OPENSSL(GENERAL_NAMES_free, (GENERAL_NAMES * names), (names))
GLEANER_FROM_OPENSSL(HMAC,
                     (const EVP_MD* type, const void* key, int key_size, const unsigned char* data, size_t size,
                      unsigned char* digest, unsigned int* digest_size),
                     (type, key, key_size, data, size, digest, digest_size))
GLEANER_FROM_OPENSSL(OPENSSL_sk_new_null, (), ())
GLEANER_FROM_OPENSSL(OPENSSL_sk_num, (const OPENSSL_STACK* stack), (stack))
GLEANER_FROM_OPENSSL(OPENSSL_sk_pop_free, (OPENSSL_STACK * stack, OPENSSL_sk_freefunc free), (stack, free))
GLEANER_FROM_OPENSSL(OPENSSL_sk_push, (OPENSSL_STACK * stack, const void* item), (stack, item))
GLEANER_FROM_OPENSSL(OPENSSL_sk_value, (const OPENSSL_STACK* stack, int index), (stack, index))
GLEANER_FROM_OPENSSL(PEM_read_bio_PrivateKey, (BIO * bio, EVP_PKEY** key, pem_password_cb* callback, void* data),
                     (bio, key, callback, data))
GLEANER_FROM_OPENSSL(PEM_read_bio_X509, (BIO * bio, X509** certificate, pem_password_cb* callback, void* data),
                     (bio, certificate, callback, data))
GLEANER_FROM_OPENSSL(PEM_read_bio_X509_AUX, (BIO * bio, X509** certificate, pem_password_cb* callback, void* data),
                     (bio, certificate, callback, data))
GLEANER_FROM_OPENSSL(RAND_bytes, (unsigned char* buffer, int size), (buffer, size))
GLEANER_FROM_OPENSSL(X509_NAME_dup, (const X509_NAME* name), (name))
GLEANER_FROM_OPENSSL(X509_NAME_free, (X509_NAME * name), (name))
GLEANER_FROM_OPENSSL(X509_STORE_CTX_get_current_cert, (const X509_STORE_CTX* ctx), (ctx))
GLEANER_FROM_OPENSSL(X509_STORE_CTX_get_error_depth, (const X509_STORE_CTX* ctx), (ctx))
GLEANER_FROM_OPENSSL(X509_STORE_CTX_get_ex_data, (const X509_STORE_CTX* ctx, int index), (ctx, index))
GLEANER_FROM_OPENSSL(X509_STORE_CTX_set_error, (X509_STORE_CTX * ctx, int error), (ctx, error))
GLEANER_FROM_OPENSSL(X509_STORE_add_cert, (X509_STORE * store, X509* certificate), (store, certificate))
GLEANER_FROM_OPENSSL(X509_check_private_key, (const X509* certificate, const EVP_PKEY* key), (certificate, key))
GLEANER_FROM_OPENSSL(X509_free, (X509 * certificate), (certificate))
GLEANER_FROM_OPENSSL(X509_get_ext_d2i, (const X509* certificate, int nid, int* critical, int* index),
                     (certificate, nid, critical, index))
GLEANER_FROM_OPENSSL(X509_get_subject_name, (const X509* certificate), (certificate))
