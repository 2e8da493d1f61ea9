// README "The web configuration", claim by claim: small web-config.yml
// texts loaded through load_web_config_file, what they set in the OpenSSL
// context (and, where only a handshake can tell, what a real OpenSSL client
// and that context agree on in memory), and what they refuse, at the web
// configuration file's FILE:LINE:COLUMN. Certificates are made by the openssl
// command.

#include "daemon/config/web_config_file.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <openssl/err.h>
#include <openssl/ssl.h>
#include <sys/stat.h>

#include <boost/asio/ssl/context.hpp>
#include <chrono>
#include <filesystem>
#include <functional>
#include <memory>
#include <string>
#include <utility>
#include <vector>

#include "tests/support/child_command.h"
#include "tests/support/scratch_dir.h"

namespace gleaner::daemon {
namespace {

using gleaner::testing::ChildResult;
using gleaner::testing::run_child;
using gleaner::testing::ScratchDir;
using ::testing::ElementsAre;
using ::testing::HasSubstr;
using ::testing::IsEmpty;
using ::testing::Not;
using ::testing::Pair;

// bcrypt at cost 6 of "s3cret-pass".
constexpr const char* kAliceHash = "$2b$06$iLrfxsFYxZtLVcdh5y/AZOcMMAoFNf3SBpTht1aKYUO7qhnlgtOJW";

// Every name of Go's tls.CipherSuites(), the ones exporter-toolkit accepts.
const std::vector<std::string> kGoCipherSuites = {
    "TLS_AES_128_GCM_SHA256",
    "TLS_AES_256_GCM_SHA384",
    "TLS_CHACHA20_POLY1305_SHA256",
    "TLS_RSA_WITH_AES_128_CBC_SHA",
    "TLS_RSA_WITH_AES_256_CBC_SHA",
    "TLS_RSA_WITH_AES_128_GCM_SHA256",
    "TLS_RSA_WITH_AES_256_GCM_SHA384",
    "TLS_ECDHE_ECDSA_WITH_AES_128_CBC_SHA",
    "TLS_ECDHE_ECDSA_WITH_AES_256_CBC_SHA",
    "TLS_ECDHE_RSA_WITH_AES_128_CBC_SHA",
    "TLS_ECDHE_RSA_WITH_AES_256_CBC_SHA",
    "TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256",
    "TLS_ECDHE_ECDSA_WITH_AES_256_GCM_SHA384",
    "TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256",
    "TLS_ECDHE_RSA_WITH_AES_256_GCM_SHA384",
    "TLS_ECDHE_RSA_WITH_CHACHA20_POLY1305_SHA256",
    "TLS_ECDHE_ECDSA_WITH_CHACHA20_POLY1305_SHA256",
};

struct Loaded {
  std::shared_ptr<const http::WebSecurity> security;
  config::ErrorList errors;

  // The server's OpenSSL context; null without TLS.
  SSL_CTX* context() const {
    return security && security->tls_context() ? security->tls_context()->native_handle() : nullptr;
  }
};

// What a TLS client and the server agreed on, in memory.
struct Handshake {
  bool completed = false;
  std::string version;  // "TLSv1.3"
  std::string cipher;   // OpenSSL's name
  int group = NID_undef;
};

struct SslContextFree {
  void operator()(SSL_CTX* context) const { SSL_CTX_free(context); }
};
struct SslFree {
  void operator()(SSL* connection) const { SSL_free(connection); }
};

// A real OpenSSL client (set up by configure_client) against a server
// connection made from server_context, joined by two memory BIOs: what the
// settings make of a handshake that the context's getters cannot show (the
// group chosen, whose order of suites wins).
Handshake handshake(SSL_CTX* server_context, const std::function<void(SSL_CTX*)>& configure_client) {
  const std::unique_ptr<SSL_CTX, SslContextFree> client_context(SSL_CTX_new(TLS_client_method()));
  configure_client(client_context.get());
  const std::unique_ptr<SSL, SslFree> client(SSL_new(client_context.get()));
  const std::unique_ptr<SSL, SslFree> server(SSL_new(server_context));
  BIO* to_server = BIO_new(BIO_s_mem());
  BIO* to_client = BIO_new(BIO_s_mem());
  // Each BIO is written by one side and read by the other, and each side
  // frees the two it holds.
  BIO_up_ref(to_server);
  BIO_up_ref(to_client);
  SSL_set_bio(client.get(), to_client, to_server);
  SSL_set_bio(server.get(), to_server, to_client);
  SSL_set_connect_state(client.get());
  SSL_set_accept_state(server.get());

  // Each side takes its turn until both are done or one gives up; a
  // handshake (with a HelloRetryRequest) needs a few turns, never 20.
  bool client_done = false, server_done = false;
  for (int turn = 0; turn < 20 && !(client_done && server_done); ++turn) {
    for (auto [connection, done] : {std::pair{client.get(), &client_done}, std::pair{server.get(), &server_done}}) {
      if (*done) continue;
      const int result = SSL_do_handshake(connection);
      if (result == 1) {
        *done = true;
      } else if (SSL_get_error(connection, result) != SSL_ERROR_WANT_READ) {
        ERR_clear_error();
        return {};
      }
    }
  }
  Handshake agreed;
  agreed.completed = client_done && server_done;
  if (!agreed.completed) return agreed;
  agreed.version = SSL_get_version(server.get());
  agreed.cipher = SSL_CIPHER_get_name(SSL_get_current_cipher(server.get()));
  agreed.group = SSL_get_negotiated_group(server.get());
  return agreed;
}

// A client that speaks TLS 1.2 only, offering these suites in this order.
std::function<void(SSL_CTX*)> tls12_client(const std::string& suites) {
  return [suites](SSL_CTX* context) {
    SSL_CTX_set_max_proto_version(context, TLS1_2_VERSION);
    SSL_CTX_set_cipher_list(context, suites.c_str());
  };
}

// The names of the suites a context offers, in its order of preference.
std::vector<std::string> cipher_names(SSL_CTX* context) {
  std::vector<std::string> names;
  STACK_OF(SSL_CIPHER)* ciphers = SSL_CTX_get_ciphers(context);
  for (int i = 0; i < sk_SSL_CIPHER_num(ciphers); ++i) names.emplace_back(SSL_CIPHER_get_name(sk_SSL_CIPHER_value(ciphers, i)));
  return names;
}

class WebConfigFileTest : public ::testing::Test {
 protected:
  void SetUp() override {
    // A self-signed P-256 certificate for localhost; it also serves as the
    // client CA file where one is needed.
    const ChildResult made =
        run_child({"openssl", "req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1", "-nodes",
                   "-subj", "/CN=localhost", "-days", "2", "-keyout", dir_.file("server.key"), "-out",
                   dir_.file("server.crt")});
    ASSERT_EQ(made.exit_code, 0) << made.err;
    // The trust checks refuse what the group or everyone may write.
    ::chmod(dir_.file("server.key").c_str(), 0600);
    ::chmod(dir_.file("server.crt").c_str(), 0600);
  }

  Loaded load(const std::string& text, const std::string& name = "web-config.yml") {
    path_ = dir_.write(name, text);
    Loaded loaded;
    loaded.security = load_web_config_file(path_, loaded.errors);
    return loaded;
  }

  // A server certificate and key on lines 2 and 3, then more (from line 4).
  Loaded load_tls(const std::string& more) {
    return load("tls_server_config:\n  cert_file: server.crt\n  key_file: server.key\n" + more);
  }

  // How an error at LINE:COLUMN of the last file loaded begins.
  std::string at(int line, int column) const {
    return path_ + ":" + std::to_string(line) + ":" + std::to_string(column) + ": ";
  }

  ScratchDir dir_;
  std::string path_;
};

// ---------------------------------------------------------------------------
// The file as a whole.

TEST_F(WebConfigFileTest, AnEmptyFileAsksForNothing) {
  for (const char* text : {"", "# nothing set yet\n"}) {
    const Loaded loaded = load(text);
    ASSERT_TRUE(loaded.security) << loaded.errors.format();
    EXPECT_TRUE(loaded.errors.empty());
    EXPECT_FALSE(loaded.security->basic_auth());
    EXPECT_FALSE(loaded.context()) << "plain HTTP";
    EXPECT_THAT(loaded.security->headers(), IsEmpty());
  }
}

TEST_F(WebConfigFileTest, UnknownKeysAreRefusedAtTheirLineAndColumn) {
  // gleaner.yaml's spelling is not exporter-toolkit's.
  Loaded loaded = load("basic_auth:\n  username: alice\n");
  EXPECT_FALSE(loaded.security);
  EXPECT_THAT(loaded.errors.format(), HasSubstr(at(1, 1) + "unknown key \"basic_auth\" in web configuration"));

  loaded = load_tls("  min_versions: TLS13\n");
  EXPECT_FALSE(loaded.security);
  EXPECT_THAT(loaded.errors.format(), HasSubstr(at(4, 3) + "unknown key \"min_versions\" in tls_server_config"));

  loaded = load("http_server_config:\n  http2: true\n  header: {X-Frame-Options: deny}\n");
  EXPECT_FALSE(loaded.security);
  EXPECT_THAT(loaded.errors.format(), HasSubstr(at(3, 3) + "unknown key \"header\" in http_server_config"));

  loaded = load("rate_limit:\n  burst: 10\n  intervall: 0\n");
  EXPECT_FALSE(loaded.security);
  EXPECT_THAT(loaded.errors.format(), HasSubstr(at(3, 3) + "unknown key \"intervall\" in rate_limit"));
}

TEST_F(WebConfigFileTest, TheFileItselfIsReadThroughTheTrustChecksWithoutBlocking) {
  const std::string fifo = dir_.file("fifo.yml");
  ASSERT_EQ(::mkfifo(fifo.c_str(), 0600), 0);
  config::ErrorList errors;
  // A FIFO without a writer: opening it to read would wait for ever.
  EXPECT_FALSE(load_web_config_file(fifo, errors));
  EXPECT_THAT(errors.format(), HasSubstr(fifo + ":0:0: web configuration file: " + fifo + " is a FIFO, not a regular file"));

  const std::string shared = dir_.write("shared.yml", "");
  ::chmod(shared.c_str(), 0620);
  errors = config::ErrorList();
  EXPECT_FALSE(load_web_config_file(shared, errors));
  EXPECT_THAT(errors.format(), HasSubstr(shared + " is writable by its group (mode 0620)"));
}

TEST_F(WebConfigFileTest, BasicAuthUsersWithBcryptHashes) {
  const Loaded loaded = load(std::string("basic_auth_users:\n  alice: '") + kAliceHash + "'\n");
  ASSERT_TRUE(loaded.security) << loaded.errors.format();
  EXPECT_TRUE(loaded.security->basic_auth());
}

// ---------------------------------------------------------------------------
// tls_server_config: when TLS is on, the certificate and the key.

TEST_F(WebConfigFileTest, CertificateAndKeyFilesAreTakenFromTheFilesOwnFolder) {
  std::filesystem::create_directories(dir_.file("web"));
  std::filesystem::copy_file(dir_.file("server.crt"), dir_.file("web/tls.crt"));
  std::filesystem::copy_file(dir_.file("server.key"), dir_.file("web/tls.key"));
  const Loaded loaded = load("tls_server_config:\n  cert_file: tls.crt\n  key_file: tls.key\n", "web/web-config.yml");
  ASSERT_TRUE(loaded.security) << loaded.errors.format();
  EXPECT_TRUE(loaded.context());
}

TEST_F(WebConfigFileTest, CertificateAndKeyMayBeWrittenAsPemText) {
  const auto indented = [](const std::string& pem) {
    std::string text;
    for (std::size_t start = 0; start < pem.size();) {
      const std::size_t end = pem.find('\n', start);
      text += "    " + pem.substr(start, end - start) + "\n";
      start = end == std::string::npos ? pem.size() : end + 1;
    }
    return text;
  };
  const Loaded loaded = load("tls_server_config:\n  cert: |\n" + indented(ScratchDir::read(dir_.file("server.crt"))) +
                             "  key: |\n" + indented(ScratchDir::read(dir_.file("server.key"))));
  ASSERT_TRUE(loaded.security) << loaded.errors.format();
  EXPECT_TRUE(loaded.context());
}

TEST_F(WebConfigFileTest, AnyTlsSettingTurnsTlsOnAndThenNeedsACertificateAndAKey) {
  const Loaded loaded = load("tls_server_config:\n  client_auth_type: RequestClientCert\n");
  EXPECT_FALSE(loaded.security);
  EXPECT_THAT(loaded.errors.format(), HasSubstr(at(2, 3) + "tls_server_config: missing one of cert or cert_file"));
  EXPECT_THAT(loaded.errors.format(), HasSubstr(at(2, 3) + "tls_server_config: missing one of key or key_file"));

  // Versions alone ask for nothing, as in exporter-toolkit: plain HTTP.
  const Loaded versions_only = load("tls_server_config:\n  min_version: TLS13\n");
  ASSERT_TRUE(versions_only.security) << versions_only.errors.format();
  EXPECT_FALSE(versions_only.context());
}

TEST_F(WebConfigFileTest, EveryFileItNamesGoesThroughTheTrustChecksWithoutBlocking) {
  ::chmod(dir_.file("server.key").c_str(), 0660);
  Loaded loaded = load_tls("");
  EXPECT_FALSE(loaded.security);
  EXPECT_THAT(loaded.errors.format(), HasSubstr(at(3, 13) + dir_.file("server.key") + " is writable by its group (mode 0660)"));
  ::chmod(dir_.file("server.key").c_str(), 0600);

  ASSERT_EQ(::mkfifo(dir_.file("ca.fifo").c_str(), 0600), 0);
  loaded = load_tls("  client_auth_type: RequireAndVerifyClientCert\n  client_ca_file: ca.fifo\n");
  EXPECT_FALSE(loaded.security);
  EXPECT_THAT(loaded.errors.format(), HasSubstr(at(5, 19) + dir_.file("ca.fifo") + " is a FIFO, not a regular file"));

  // An endless device behind a link: refused before a byte is read.
  std::filesystem::create_symlink("/dev/zero", dir_.file("zero.crt"));
  loaded = load("tls_server_config:\n  cert_file: zero.crt\n  key_file: server.key\n");
  EXPECT_FALSE(loaded.security);
  EXPECT_THAT(loaded.errors.format(), HasSubstr(at(2, 14)));
  EXPECT_THAT(loaded.errors.format(), HasSubstr("/dev/zero is a character device, not a regular file"));
}

// ---------------------------------------------------------------------------
// tls_server_config: client certificates.

TEST_F(WebConfigFileTest, ClientAuthTypesAndTheOldNameOfRequireAnyClientCert) {
  const int ask = SSL_VERIFY_PEER | SSL_VERIFY_CLIENT_ONCE;
  const int require = ask | SSL_VERIFY_FAIL_IF_NO_PEER_CERT;
  const std::vector<std::pair<std::string, int>> modes = {
      {"NoClientCert", SSL_VERIFY_NONE},   {"RequestClientCert", ask},
      {"RequireAnyClientCert", require},   {"RequireClientCert", require},
      {"VerifyClientCertIfGiven", ask},    {"RequireAndVerifyClientCert", require},
  };
  for (const auto& [name, mode] : modes) {
    const Loaded loaded = load_tls("  client_auth_type: " + name + "\n");
    ASSERT_TRUE(loaded.security) << name << ": " << loaded.errors.format();
    ASSERT_TRUE(loaded.context());
    EXPECT_EQ(SSL_CTX_get_verify_mode(loaded.context()), mode) << name;
  }

  const Loaded unknown = load_tls("  client_auth_type: RequireClientCertificate\n");
  EXPECT_FALSE(unknown.security);
  EXPECT_THAT(unknown.errors.format(),
              HasSubstr(at(4, 21) + "tls_server_config.client_auth_type: invalid ClientAuth \"RequireClientCertificate\""));
}

TEST_F(WebConfigFileTest, ClientCaFileIsRefusedWithNoClientCert) {
  for (const std::string auth : {"  client_auth_type: NoClientCert\n", ""}) {
    const Loaded loaded = load_tls(auth + "  client_ca_file: server.crt\n");
    EXPECT_FALSE(loaded.security) << auth;
    EXPECT_THAT(loaded.errors.format(),
                HasSubstr(at(2, 3) + "tls_server_config: client CA's have been configured without a Client Auth "
                                     "Policy (client_auth_type)"))
        << auth;
  }

  // With a mode that asks for a certificate, its CAs are the ones named to clients.
  const Loaded verifying = load_tls("  client_auth_type: VerifyClientCertIfGiven\n  client_ca_file: server.crt\n");
  ASSERT_TRUE(verifying.security) << verifying.errors.format();
  EXPECT_EQ(sk_X509_NAME_num(SSL_CTX_get_client_CA_list(verifying.context())), 1);
}

// exporter-toolkit would check the names only of a certificate it asked for,
// so with NoClientCert it lets everyone in: gleaner refuses the file instead.
TEST_F(WebConfigFileTest, AllowedSansAreRefusedWhenNoClientCertificateIsAskedFor) {
  for (const std::string auth : {"  client_auth_type: NoClientCert\n", ""}) {
    const Loaded loaded = load_tls(auth + "  client_allowed_sans: [scraper.example]\n");
    EXPECT_FALSE(loaded.security) << auth;
    const int line = auth.empty() ? 4 : 5;
    EXPECT_THAT(loaded.errors.format(),
                HasSubstr(at(line, 24) + "tls_server_config.client_allowed_sans: no client certificate is asked for"))
        << auth;
  }

  const Loaded verifying =
      load_tls("  client_auth_type: RequireAndVerifyClientCert\n  client_ca_file: server.crt\n"
               "  client_allowed_sans: [scraper.example]\n");
  EXPECT_TRUE(verifying.security) << verifying.errors.format();
}

// ---------------------------------------------------------------------------
// tls_server_config: versions, suites, curves.

TEST_F(WebConfigFileTest, TlsVersionsFromTls10ToTls13DefaultTls12ToTls13) {
  const Loaded defaults = load_tls("");
  ASSERT_TRUE(defaults.security) << defaults.errors.format();
  EXPECT_EQ(SSL_CTX_get_min_proto_version(defaults.context()), TLS1_2_VERSION);
  EXPECT_EQ(SSL_CTX_get_max_proto_version(defaults.context()), TLS1_3_VERSION);

  const std::vector<std::pair<std::string, int>> versions = {
      {"TLS10", TLS1_VERSION}, {"TLS11", TLS1_1_VERSION}, {"TLS12", TLS1_2_VERSION}, {"TLS13", TLS1_3_VERSION}};
  for (const auto& [name, version] : versions) {
    const Loaded loaded = load_tls("  min_version: " + name + "\n  max_version: " + name + "\n");
    ASSERT_TRUE(loaded.security) << name << ": " << loaded.errors.format();
    EXPECT_EQ(SSL_CTX_get_min_proto_version(loaded.context()), version) << name;
    EXPECT_EQ(SSL_CTX_get_max_proto_version(loaded.context()), version) << name;
  }

  // max_version: TLS12 holds a client that could speak TLS 1.3 to 1.2.
  const Loaded at_most_12 = load_tls("  max_version: TLS12\n");
  ASSERT_TRUE(at_most_12.security) << at_most_12.errors.format();
  EXPECT_EQ(handshake(at_most_12.context(), [](SSL_CTX*) {}).version, "TLSv1.2");
  EXPECT_EQ(handshake(defaults.context(), [](SSL_CTX*) {}).version, "TLSv1.3");
}

TEST_F(WebConfigFileTest, AnUnknownTlsVersionAndAnEmptyRangeAreRefused) {
  // OpenSSL's spelling and Go's constant names are not exporter-toolkit's.
  for (const std::string name : {"TLS1.3", "VersionTLS13", "TLS14"}) {
    const Loaded loaded = load_tls("  max_version: " + name + "\n");
    EXPECT_FALSE(loaded.security) << name;
    EXPECT_THAT(loaded.errors.format(), HasSubstr(at(4, 16) + "tls_server_config.max_version: unknown TLS version \"" +
                                                  name + "\" (one of: TLS10, TLS11, TLS12, TLS13)"));
  }

  const Loaded empty_range = load_tls("  min_version: TLS13\n  max_version: TLS12\n");
  EXPECT_FALSE(empty_range.security);
  EXPECT_THAT(empty_range.errors.format(), HasSubstr(at(2, 3) + "tls_server_config: min_version is above max_version"));
}

TEST_F(WebConfigFileTest, CipherSuitesTakeGoNamesAndAreMappedToOpenSsls) {
  std::string every_go_name = "  cipher_suites:\n";
  for (const std::string& name : kGoCipherSuites) every_go_name += "    - " + name + "\n";
  const Loaded all = load_tls(every_go_name);
  ASSERT_TRUE(all.security) << all.errors.format();

  const Loaded chosen =
      load_tls("  cipher_suites: [TLS_ECDHE_ECDSA_WITH_AES_128_CBC_SHA, TLS_ECDHE_RSA_WITH_AES_256_GCM_SHA384]\n");
  ASSERT_TRUE(chosen.security) << chosen.errors.format();
  const std::vector<std::string> names = cipher_names(chosen.context());
  EXPECT_THAT(names, ::testing::Contains("ECDHE-ECDSA-AES128-SHA"));
  EXPECT_THAT(names, ::testing::Contains("ECDHE-RSA-AES256-GCM-SHA384"));
  EXPECT_THAT(names, Not(::testing::Contains("ECDHE-ECDSA-AES128-GCM-SHA256")));
  // A TLS 1.2 client offering only that CBC suite gets it...
  EXPECT_EQ(handshake(chosen.context(), tls12_client("ECDHE-ECDSA-AES128-SHA")).cipher, "ECDHE-ECDSA-AES128-SHA");
  // ...which the default, forward-secret AEAD suites only, does not offer.
  const Loaded defaults = load_tls("");
  ASSERT_TRUE(defaults.security) << defaults.errors.format();
  EXPECT_FALSE(handshake(defaults.context(), tls12_client("ECDHE-ECDSA-AES128-SHA")).completed);
  EXPECT_FALSE(handshake(defaults.context(), tls12_client("AES128-GCM-SHA256")).completed) << "no forward secrecy";
  EXPECT_EQ(handshake(defaults.context(), tls12_client("ECDHE-ECDSA-AES256-GCM-SHA384")).cipher,
            "ECDHE-ECDSA-AES256-GCM-SHA384");
}

TEST_F(WebConfigFileTest, Tls13CipherSuitesConfigureNothing) {
  const Loaded defaults = load_tls("");
  const Loaded tls13_only = load_tls("  cipher_suites: [TLS_AES_256_GCM_SHA384]\n");
  ASSERT_TRUE(defaults.security) << defaults.errors.format();
  ASSERT_TRUE(tls13_only.security) << tls13_only.errors.format();
  EXPECT_EQ(cipher_names(tls13_only.context()), cipher_names(defaults.context()));
  // TLS 1.3 keeps all of its suites, the one not listed too.
  EXPECT_EQ(handshake(tls13_only.context(), [](SSL_CTX* client) {
              SSL_CTX_set_ciphersuites(client, "TLS_AES_128_GCM_SHA256");
            }).cipher,
            "TLS_AES_128_GCM_SHA256");
}

TEST_F(WebConfigFileTest, AnUnknownCipherSuiteIsRefusedAtItsItem) {
  // OpenSSL's name for a suite, and one of Go's tls.InsecureCipherSuites().
  const Loaded loaded = load_tls(
      "  cipher_suites:\n    - TLS_AES_128_GCM_SHA256\n    - ECDHE-RSA-AES128-GCM-SHA256\n    - TLS_RSA_WITH_RC4_128_SHA\n");
  EXPECT_FALSE(loaded.security);
  const std::string errors = loaded.errors.format();
  EXPECT_THAT(errors, Not(HasSubstr(at(5, 7))));
  EXPECT_THAT(errors, HasSubstr(at(6, 7) + "tls_server_config.cipher_suites: unknown cipher: ECDHE-RSA-AES128-GCM-SHA256"));
  EXPECT_THAT(errors, HasSubstr(at(7, 7) + "tls_server_config.cipher_suites: unknown cipher: TLS_RSA_WITH_RC4_128_SHA"));
}

TEST_F(WebConfigFileTest, PreferServerCipherSuitesDefaultsToTrue) {
  // The server lists AES-128 first; the client, AES-256.
  const std::string suites =
      "  cipher_suites: [TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256, TLS_ECDHE_ECDSA_WITH_AES_256_GCM_SHA384]\n";
  const auto client = tls12_client("ECDHE-ECDSA-AES256-GCM-SHA384:ECDHE-ECDSA-AES128-GCM-SHA256");
  for (const std::string setting : {"", "  prefer_server_cipher_suites: true\n"}) {
    const Loaded loaded = load_tls(suites + setting);
    ASSERT_TRUE(loaded.security) << loaded.errors.format();
    EXPECT_TRUE(SSL_CTX_get_options(loaded.context()) & SSL_OP_CIPHER_SERVER_PREFERENCE) << setting;
    EXPECT_EQ(handshake(loaded.context(), client).cipher, "ECDHE-ECDSA-AES128-GCM-SHA256") << setting;
  }
  const Loaded clients_order = load_tls(suites + "  prefer_server_cipher_suites: false\n");
  ASSERT_TRUE(clients_order.security) << clients_order.errors.format();
  EXPECT_FALSE(SSL_CTX_get_options(clients_order.context()) & SSL_OP_CIPHER_SERVER_PREFERENCE);
  EXPECT_EQ(handshake(clients_order.context(), client).cipher, "ECDHE-ECDSA-AES256-GCM-SHA384");
}

TEST_F(WebConfigFileTest, CurvePreferencesTakeGoNames) {
  const Loaded all = load_tls("  curve_preferences: [CurveP256, CurveP384, CurveP521, X25519]\n");
  ASSERT_TRUE(all.security) << all.errors.format();

  // A client that would rather use P-256 (its key share) is made to use P-384.
  const Loaded p384 = load_tls("  curve_preferences: [CurveP384]\n");
  ASSERT_TRUE(p384.security) << p384.errors.format();
  const Handshake agreed = handshake(p384.context(), [](SSL_CTX* client) { SSL_CTX_set1_groups_list(client, "P-256:P-384"); });
  EXPECT_TRUE(agreed.completed);
  EXPECT_EQ(agreed.group, NID_secp384r1);
  // And one without X25519 finds nothing in common with [X25519].
  const Loaded x25519 = load_tls("  curve_preferences: [X25519]\n");
  ASSERT_TRUE(x25519.security) << x25519.errors.format();
  EXPECT_FALSE(handshake(x25519.context(), [](SSL_CTX* client) { SSL_CTX_set1_groups_list(client, "P-256"); }).completed);

  // OpenSSL's name, and a curve Go does not have.
  const Loaded unknown = load_tls("  curve_preferences:\n    - P-256\n    - CurveP224\n");
  EXPECT_FALSE(unknown.security);
  EXPECT_THAT(unknown.errors.format(),
              HasSubstr(at(5, 7) + "tls_server_config.curve_preferences: unknown curve: P-256 (one of: CurveP256, "
                                   "CurveP384, CurveP521, X25519)"));
  EXPECT_THAT(unknown.errors.format(), HasSubstr(at(6, 7) + "tls_server_config.curve_preferences: unknown curve: CurveP224"));
}

// ---------------------------------------------------------------------------
// http_server_config.

TEST_F(WebConfigFileTest, AllowedHeadersAreSetAsWritten) {
  const Loaded loaded = load(
      "http_server_config:\n  headers:\n    X-Frame-Options: sameorigin\n    X-Content-Type-Options: nosniff\n"
      "    Strict-Transport-Security: max-age=31536000\n    X-XSS-Protection: \"1; mode=block\"\n"
      "    Content-Security-Policy: \"default-src 'none'\"\n");
  ASSERT_TRUE(loaded.security) << loaded.errors.format();
  EXPECT_THAT(loaded.security->headers(),
              ElementsAre(Pair("X-Frame-Options", "sameorigin"), Pair("X-Content-Type-Options", "nosniff"),
                          Pair("Strict-Transport-Security", "max-age=31536000"), Pair("X-XSS-Protection", "1; mode=block"),
                          Pair("Content-Security-Policy", "default-src 'none'")));
  EXPECT_TRUE(load("http_server_config:\n  headers: {X-Frame-Options: deny}\n").security);
}

TEST_F(WebConfigFileTest, HeadersOutsideTheAllowedSetOrWithOtherValuesAreRefused) {
  // Names as written: a lowercase spelling of an allowed one is another name.
  const Loaded loaded = load(
      "http_server_config:\n  headers:\n    X-Powered-By: gleaner\n    x-frame-options: deny\n"
      "    X-Frame-Options: allow-from\n    X-Content-Type-Options: sniff\n");
  EXPECT_FALSE(loaded.security);
  const std::string errors = loaded.errors.format();
  EXPECT_THAT(errors, HasSubstr(at(3, 5) + "http_server_config.headers: HTTP header \"X-Powered-By\" can not be configured "
                                           "(only Strict-Transport-Security, X-Content-Type-Options, X-Frame-Options, "
                                           "X-XSS-Protection, Content-Security-Policy)"));
  EXPECT_THAT(errors, HasSubstr(at(4, 5) + "http_server_config.headers: HTTP header \"x-frame-options\" can not be configured"));
  EXPECT_THAT(errors, HasSubstr(at(5, 5) + "http_server_config.headers: invalid value for X-Frame-Options: expected one "
                                           "of \"deny\", \"sameorigin\", but got \"allow-from\""));
  EXPECT_THAT(errors, HasSubstr(at(6, 5) + "http_server_config.headers: invalid value for X-Content-Type-Options: "
                                           "expected one of \"nosniff\", but got \"sniff\""));
}

TEST_F(WebConfigFileTest, AHeaderValueMustBeOneLine) {
  for (const std::string value : {"\"a\\r\\nX: y\"", "\"a\\nX: y\"", "\"a\\rb\"", "\"a\\x00b\""}) {
    const Loaded loaded = load("http_server_config:\n  headers:\n    Content-Security-Policy: " + value + "\n");
    EXPECT_FALSE(loaded.security) << value;
    EXPECT_THAT(loaded.errors.format(),
                HasSubstr(at(3, 5) + "http_server_config.headers: the value of Content-Security-Policy must be one "
                                     "line of text, without control characters"))
        << value;
    // One error, one line: nothing of the value breaks the report's lines.
    EXPECT_EQ(loaded.errors.format().find('\r'), std::string::npos) << value;
  }
}

TEST_F(WebConfigFileTest, Http2IsAcceptedAndChangesNothing) {
  for (const char* value : {"true", "false"}) {
    const Loaded loaded = load(std::string("http_server_config:\n  http2: ") + value + "\n");
    ASSERT_TRUE(loaded.security) << value << ": " << loaded.errors.format();
    EXPECT_FALSE(loaded.context()) << value;
    EXPECT_THAT(loaded.security->headers(), IsEmpty()) << value;
  }
}

// ---------------------------------------------------------------------------
// rate_limit.

TEST_F(WebConfigFileTest, RateLimitIsAcceptedOnlyWhenItLimitsNothing) {
  for (const char* text : {"rate_limit: {burst: 10}\n", "rate_limit: {interval: 0}\n",
                           "rate_limit:\n  interval: 0s\n  burst: 10\n", "rate_limit: {}\n"}) {
    const Loaded loaded = load(text);
    EXPECT_TRUE(loaded.security) << text << loaded.errors.format();
  }
  for (const char* interval : {"1s", "100ms"}) {
    const Loaded loaded = load(std::string("rate_limit:\n  burst: 10\n  interval: ") + interval + "\n");
    EXPECT_FALSE(loaded.security) << interval;
    EXPECT_THAT(loaded.errors.format(), HasSubstr(at(3, 13) + "rate_limit: gleaner has no rate limiter; remove "
                                                              "rate_limit or set its interval to 0"))
        << interval;
  }
}

}  // namespace
}  // namespace gleaner::daemon
