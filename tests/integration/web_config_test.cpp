// exporter-toolkit's web configuration file through the real binary: a CA,
// server and client certificates made here with the openssl command, curl
// as the client (with and without a client certificate, TLS 1.2 only), a
// real Prometheus scraping over mutual TLS with basic auth, certificates
// replaced on disk while the daemon runs, and errors at FILE:LINE:COLUMN.

#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <stdlib.h>
#include <sys/stat.h>

#include <cstdio>
#include <filesystem>
#include <fstream>
#include <functional>
#include <nlohmann/json.hpp>

#include "tests/support/bcrypt_hash.h"
#include "tests/support/child_command.h"
#include "tests/support/curl_client.h"
#include "tests/support/daemon_process.h"
#include "tests/support/prometheus_server.h"
#include "tests/support/scratch_dir.h"

namespace gleaner::testing {
namespace {

using ::testing::HasSubstr;

// bcrypt at cost 6 of "s3cret-pass" and of "other-pass".
constexpr const char* kAliceHash = "$2b$06$iLrfxsFYxZtLVcdh5y/AZOcMMAoFNf3SBpTht1aKYUO7qhnlgtOJW";

class WebConfigTest : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = scratch_.path().string();
    make_ca("ca");
    make_ca("other-ca");
    sign("server", "ca", "DNS:localhost,IP:127.0.0.1");
    sign("client", "ca", "DNS:scraper.example,URI:spiffe://example.org/prometheus");
    sign("stranger", "ca", "DNS:stranger.example,email:someone@example.org");
    sign("foreign", "other-ca", "URI:spiffe://example.org/prometheus");
    bob_hash_ = bcrypt_of("other-pass");
  }
  void TearDown() override {
    daemon_.reset();
  }

  void run_openssl(const std::vector<std::string>& args) {
    std::vector<std::string> argv = {"openssl"};
    argv.insert(argv.end(), args.begin(), args.end());
    const auto made = run_child(argv);
    ASSERT_EQ(made.exit_code, 0) << made.err;
  }

  void make_ca(const std::string& name) {
    run_openssl({"req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1", "-nodes", "-days", "2",
                 "-subj", "/CN=" + name, "-keyout", file(name + ".key"), "-out", file(name + ".crt")});
  }

  // A key and a certificate for it, signed by ca, with these SANs.
  void sign(const std::string& name, const std::string& ca, const std::string& sans) {
    run_openssl({"req", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1", "-nodes", "-subj",
                 "/CN=" + name, "-keyout", file(name + ".key"), "-out", file(name + ".csr")});
    std::ofstream(file(name + ".ext")) << "subjectAltName=" << sans << "\n";
    run_openssl({"x509", "-req", "-in", file(name + ".csr"), "-CA", file(ca + ".crt"), "-CAkey", file(ca + ".key"),
                 "-CAcreateserial", "-days", "2", "-extfile", file(name + ".ext"), "-out", file(name + ".crt")});
    ::chmod(file(name + ".key").c_str(), 0600);
  }

  static std::string bcrypt_of(const std::string& password) { return bcrypt_hash(password, "$2b$", 6); }

  std::string file(const std::string& name) const { return dir_ + "/" + name; }

  void write(const std::string& name, const std::string& text) const { std::ofstream(file(name)) << text; }

  std::string url(const std::string& path = "/metrics") const {
    return "https://127.0.0.1:" + std::to_string(daemon_->port()) + path;
  }

  // curl trusting the CA, with this client certificate (none for "") and these credentials.
  CurlReply scrape(const std::string& client, const std::string& user_and_password,
                   const std::vector<std::string>& more = {}, const std::string& path = "/metrics") const {
    std::vector<std::string> options = {"--cacert", file("ca.crt")};
    if (!client.empty()) options.insert(options.end(), {"--cert", file(client + ".crt"), "--key", file(client + ".key")});
    if (!user_and_password.empty()) options.insert(options.end(), {"-u", user_and_password});
    options.insert(options.end(), more.begin(), more.end());
    return curl(options, url(path));
  }

  std::string mutual_tls_web_config() const {
    return std::string(R"(# as node_exporter takes it
tls_server_config:
  cert_file: server.crt
  key_file: server.key
  client_auth_type: RequireAndVerifyClientCert
  client_ca_file: ca.crt
  client_allowed_sans: ["spiffe://example.org/prometheus"]
http_server_config:
  http2: true
  headers:
    X-Frame-Options: deny
    X-Content-Type-Options: nosniff
    Strict-Transport-Security: max-age=31536000
basic_auth_users:
  alice: ')") + kAliceHash + "'\n  bob: '" + bob_hash_ + "'\n";
  }

  std::string start_config() const {
    const auto path = file("gleaner.yaml");
    std::ofstream(path) << "collectors:\n  - {name: hello, plugin: exec, command: [printf, \"hello_value 1\\n\"]}\n";
    return path;
  }

  ScratchDir scratch_;  // removed with its files after the test
  std::string dir_;
  std::string bob_hash_;
  std::unique_ptr<DaemonProcess> daemon_;
};

TEST_F(WebConfigTest, MutualTlsWithAllowedSansAndTwoUsersFromTheFlag) {
  write("web-config.yml", mutual_tls_web_config());
  daemon_ = std::make_unique<DaemonProcess>(std::vector<std::string>{
      "--config", start_config(), "--listen", "127.0.0.1:0", "--web.config.file=" + file("web-config.yml")});
  ASSERT_GT(daemon_->port(), 0) << daemon_->log();

  CurlReply reply;
  ASSERT_TRUE(eventually([&] {
    reply = scrape("client", "alice:s3cret-pass");
    return reply.status == 200;
  })) << reply.error << daemon_->log();
  EXPECT_THAT(reply.body, HasSubstr("hello_value"));
  EXPECT_EQ(reply.headers["x-frame-options"], "deny");
  EXPECT_EQ(reply.headers["x-content-type-options"], "nosniff");
  EXPECT_EQ(reply.headers["strict-transport-security"], "max-age=31536000");
  EXPECT_EQ(scrape("client", "bob:other-pass").status, 200u);

  // Wrong password, unknown user, no credentials: 401, with the headers too.
  CurlReply refused = scrape("client", "bob:s3cret-pass");
  EXPECT_EQ(refused.status, 401u);
  EXPECT_EQ(refused.headers["x-frame-options"], "deny");
  EXPECT_EQ(scrape("client", "carol:s3cret-pass").status, 401u);
  EXPECT_EQ(scrape("client", "").status, 401u);
  EXPECT_EQ(scrape("client", "", {}, "/nowhere").headers["x-content-type-options"], "nosniff");

  // Refused in the handshake: no certificate, one from another CA, one
  // without an allowed SAN. curl gets no HTTP status at all.
  for (const char* client : {"", "foreign", "stranger"}) {
    const CurlReply denied = scrape(client, "alice:s3cret-pass");
    EXPECT_EQ(denied.status, 0u) << client << ": " << denied.error;
    EXPECT_NE(denied.exit_code, 0) << client;
  }
}

// Each client_auth_type as Go's crypto/tls means it: which clients get through
// the handshake (a status) and which do not (none).
TEST_F(WebConfigTest, ClientAuthTypesAsGoMeansThem) {
  struct Case {
    std::string settings;
    std::vector<std::pair<std::string, bool>> clients;  // client certificate ("" for none), let through
  };
  const std::vector<Case> cases = {
      {"  client_auth_type: RequestClientCert\n", {{"", true}, {"foreign", true}}},
      {"  client_auth_type: RequireAnyClientCert\n", {{"", false}, {"foreign", true}}},
      {"  client_auth_type: VerifyClientCertIfGiven\n  client_ca_file: ca.crt\n",
       {{"", true}, {"client", true}, {"foreign", false}}},
      {"  client_auth_type: RequestClientCert\n  client_allowed_sans: [stranger.example]\n",
       {{"", false}, {"stranger", true}, {"client", false}}},
  };
  for (const Case& each : cases) {
    write("web-config.yml", "tls_server_config:\n  cert_file: server.crt\n  key_file: server.key\n" + each.settings);
    daemon_ = std::make_unique<DaemonProcess>(std::vector<std::string>{
        "--config", start_config(), "--listen", "127.0.0.1:0", "--web.config.file=" + file("web-config.yml")});
    ASSERT_GT(daemon_->port(), 0) << daemon_->log();
    for (const auto& [client, let_through] : each.clients) {
      const CurlReply reply = scrape(client, "");
      EXPECT_EQ(reply.status, let_through ? 200u : 0u) << each.settings << "client: " << client << " " << reply.error;
    }
    daemon_.reset();
  }
}

TEST_F(WebConfigTest, ConfigFileKeyAndMinVersionTls13RefusesATls12Client) {
  std::filesystem::create_directories(file("web"));
  // Relative paths in it are taken from its own folder.
  std::filesystem::copy_file(file("server.crt"), file("web/server.crt"));
  std::filesystem::copy_file(file("server.key"), file("web/server.key"));
  write("web/web-config.yml", "tls_server_config:\n  cert_file: server.crt\n  key_file: server.key\n"
                              "  min_version: TLS13\n");
  write("gleaner.yaml", "web:\n  config_file: web/web-config.yml\ncollectors: []\n");
  daemon_ = std::make_unique<DaemonProcess>(
      std::vector<std::string>{"--config", file("gleaner.yaml"), "--listen", "127.0.0.1:0"});
  ASSERT_GT(daemon_->port(), 0) << daemon_->log();
  CurlReply reply;
  ASSERT_TRUE(eventually([&] {
    reply = scrape("", "", {"--tlsv1.3"});
    return reply.status == 200;
  })) << reply.error << daemon_->log();
  const CurlReply old_client = scrape("", "", {"--tls-max", "1.2"});
  EXPECT_EQ(old_client.status, 0u);
  EXPECT_THAT(old_client.error, HasSubstr("alert"));
}

TEST_F(WebConfigTest, ErrorsPointAtTheWebConfigFile) {
  write("web-config.yml", "tls_server_config:\n  cert_file: server.crt\n  key_file: server.key\n"
                          "  client_auth_typ: RequireAndVerifyClientCert\n"
                          "http_server_config:\n  headers: {X-Powered-By: gleaner, X-Frame-Options: allow}\n");
  const auto config = start_config();
  const auto checked = run_gleaner({"--config", config, "--web.config.file", file("web-config.yml"), "--check-config"},
                                   std::chrono::seconds(20));
  EXPECT_EQ(checked.exit_code, 2);
  const std::string at = file("web-config.yml");
  EXPECT_THAT(checked.err, HasSubstr(at + ":4:3: unknown key \"client_auth_typ\""));
  EXPECT_THAT(checked.err, HasSubstr(at + ":6:13: http_server_config.headers: HTTP header \"X-Powered-By\" can not be configured"));
  EXPECT_THAT(checked.err, HasSubstr(at + ":6:36: http_server_config.headers: invalid value for X-Frame-Options"));

  // exporter-toolkit takes bcrypt hashes only.
  write("web-config.yml", "basic_auth_users:\n  alice: plain-text\n");
  const auto plain = run_gleaner({"--config", config, "--web.config.file", file("web-config.yml"), "--check-config"},
                                 std::chrono::seconds(20));
  EXPECT_EQ(plain.exit_code, 2);
  EXPECT_THAT(plain.err, HasSubstr(at + ":2:3: basic_auth_users.alice: the password of \"alice\" is not a bcrypt hash"));

  // A key that does not belong to the certificate: found when loading, at its line.
  write("web-config.yml", "tls_server_config:\n  cert_file: server.crt\n  key_file: client.key\n");
  const auto mismatched = run_gleaner({"--config", config, "--web.config.file", file("web-config.yml"), "--check-config"},
                                      std::chrono::seconds(20));
  EXPECT_EQ(mismatched.exit_code, 2);
  EXPECT_THAT(mismatched.err, HasSubstr(at + ":2:3: tls_server_config: the private key in"));

  // The flag wins over the file's web:, which is then not even read.
  write("web-config.yml", "tls_server_config:\n  cert_file: server.crt\n  key_file: server.key\n");
  write("gleaner.yaml", "web:\n  basic_auth: {username: u, password_file: missing.pass}\ncollectors: []\n");
  const auto flag_wins = run_gleaner(
      {"--config", file("gleaner.yaml"), "--web.config.file", file("web-config.yml"), "--check-config"},
      std::chrono::seconds(20));
  EXPECT_EQ(flag_wins.exit_code, 0) << flag_wins.err;
  EXPECT_THAT(flag_wins.err, HasSubstr(file("gleaner.yaml") + ":2:3: warning: web: is not used: --web.config.file="));

  // config_file beside inline settings: one question, two answers.
  write("gleaner.yaml", "web:\n  config_file: web-config.yml\n  tls: {cert_file: server.crt, key_file: server.key}\n"
                        "collectors: []\n");
  const auto combined = run_gleaner({"--config", file("gleaner.yaml"), "--check-config"}, std::chrono::seconds(20));
  EXPECT_EQ(combined.exit_code, 2);
  EXPECT_THAT(combined.err, HasSubstr(file("gleaner.yaml") + ":3:8: web.tls cannot be combined with web.config_file"));
}

// Replaces name with text the way renewal tools do: written beside it, renamed into place.
void replace_file(const std::string& path, const std::string& text) {
  std::ofstream(path + ".new") << text;
  ::chmod((path + ".new").c_str(), 0600);
  std::filesystem::rename(path + ".new", path);
}

// The certificate the server presents to a new connection, as PEM.
std::string presented_certificate(int port) {
  const auto shown = run_child({"sh", "-c",
                                "openssl s_client -connect 127.0.0.1:" + std::to_string(port) +
                                    " </dev/null 2>/dev/null | openssl x509 -noout -subject"},
                               "", std::chrono::seconds(20));
  return shown.out;
}

// How many times part occurs in text.
std::size_t count_of(const std::string& text, const std::string& part) {
  std::size_t count = 0;
  for (std::size_t at = text.find(part); at != std::string::npos; at = text.find(part, at + part.size())) ++count;
  return count;
}

// What the daemon logs when changed certificate files cannot be used (the
// reason follows), and when they are taken.
constexpr const char* kUnusable = "TLS: the certificate, key or client CA file changed, but cannot be used (";
constexpr const char* kStillServing = "); still serving with the previous ones";
constexpr const char* kRenewed = "TLS: the certificate, key or client CA file changed; new connections use them";

TEST_F(WebConfigTest, CertificatesAreReadAgainWhenTheirFilesChangeWithoutASignal) {
  write("web-config.yml", "tls_server_config:\n  cert_file: tls.crt\n  key_file: tls.key\n");
  std::filesystem::copy_file(file("server.crt"), file("tls.crt"));
  std::filesystem::copy_file(file("server.key"), file("tls.key"));
  daemon_ = std::make_unique<DaemonProcess>(std::vector<std::string>{
      "--config", start_config(), "--listen", "127.0.0.1:0", "--web.config.file=" + file("web-config.yml")});
  ASSERT_GT(daemon_->port(), 0) << daemon_->log();
  ASSERT_TRUE(eventually([&] { return presented_certificate(daemon_->port()).find("CN = server") != std::string::npos; }))
      << daemon_->log();

  // Waits until the daemon has logged one more unusable change than before
  // (a connection makes it look, at most once a second).
  const auto logs_unusable_change = [&](std::size_t before) {
    return eventually([&] {
      presented_certificate(daemon_->port());
      return count_of(daemon_->log(), kUnusable) > before;
    });
  };
  // The old certificate still serves, and promptly: the io thread that looks
  // at the files is not held by what the key's path leads to.
  const auto old_certificate_serves_promptly = [&](const std::string& step) {
    EXPECT_THAT(presented_certificate(daemon_->port()), HasSubstr("CN = server")) << step;
    CurlReply reply;
    EXPECT_TRUE(eventually(
        [&] {
          reply = scrape("", "", {"--max-time", "2"});
          return reply.status == 200;
        },
        std::chrono::seconds(3)))
        << step << ": " << reply.error << daemon_->log();
  };

  // A changed key goes through the trust checks and the bounded, never
  // blocking reads of the first load: an endless device behind a link, a
  // FIFO nobody writes, a valid key its group may change. Each renamed into
  // place as renewal tools do, each logged with its reason.
  const std::string key = file("tls.key");
  const std::string next = key + ".new";
  const std::vector<std::pair<std::string, std::function<void()>>> hostile_keys = {
      {key + " (which leads to /dev/zero) is a character device, not a regular file",
       [&] { std::filesystem::create_symlink("/dev/zero", next); }},
      {key + " is a FIFO, not a regular file", [&] { ASSERT_EQ(::mkfifo(next.c_str(), 0600), 0); }},
      {key + " is writable by its group (mode 0664), so others could change what gleaner runs or reads: chmod go-w " +
           key,
       [&] {
         std::filesystem::copy_file(file("server.key"), next);
         ::chmod(next.c_str(), 0664);
       }},
  };
  for (const auto& [reason, make_next] : hostile_keys) {
    const std::size_t before = count_of(daemon_->log(), kUnusable);
    make_next();
    std::filesystem::rename(next, key);
    ASSERT_TRUE(logs_unusable_change(before)) << reason << "\n" << daemon_->log();
    EXPECT_THAT(daemon_->log(), HasSubstr(kUnusable + reason + kStillServing));
    old_certificate_serves_promptly(reason);
  }

  // The right key, safe again: taken.
  const std::size_t renewals = count_of(daemon_->log(), kRenewed);
  replace_file(key, read_file(file("server.key")));
  ASSERT_TRUE(eventually([&] {
    presented_certificate(daemon_->port());
    return count_of(daemon_->log(), kRenewed) > renewals;
  })) << daemon_->log();
  EXPECT_EQ(scrape("", "").status, 200u);

  // A broken pair (the key of another certificate): logged, the old one stays.
  const std::size_t before_broken_pair = count_of(daemon_->log(), kUnusable);
  replace_file(file("tls.crt"), read_file(file("stranger.crt")));
  ASSERT_TRUE(logs_unusable_change(before_broken_pair)) << daemon_->log();
  EXPECT_THAT(daemon_->log(), HasSubstr("does not belong to the certificate in " + file("tls.crt") + kStillServing));
  EXPECT_THAT(presented_certificate(daemon_->port()), HasSubstr("CN = server"));
  EXPECT_EQ(scrape("", "").status, 200u) << "still served with the old certificate";

  // The matching key follows: the new certificate is presented.
  replace_file(file("tls.key"), read_file(file("stranger.key")));
  std::string subject;
  EXPECT_TRUE(eventually([&] {
    subject = presented_certificate(daemon_->port());
    return subject.find("CN = stranger") != std::string::npos;
  })) << subject << daemon_->log();
}

TEST_F(WebConfigTest, ARealPrometheusScrapesOverMutualTlsWithBasicAuth) {
  ASSERT_TRUE(prometheus_installed()) << "no prometheus binary: run .ci/install-deps";
  write("web-config.yml", mutual_tls_web_config());
  daemon_ = std::make_unique<DaemonProcess>(std::vector<std::string>{
      "--config", start_config(), "--listen", "127.0.0.1:0", "--web.config.file=" + file("web-config.yml")});
  ASSERT_GT(daemon_->port(), 0) << daemon_->log();
  write("prometheus.pass", "s3cret-pass\n");
  PrometheusServer prometheus(daemon_->port(), "/metrics",
                              "    scheme: https\n"
                              "    basic_auth: {username: alice, password_file: " + file("prometheus.pass") + "}\n"
                              "    tls_config: {cert_file: " + file("client.crt") + ", key_file: " +
                                  file("client.key") + ", ca_file: " + file("ca.crt") + "}\n");
  ASSERT_TRUE(prometheus.ready()) << prometheus.log();
  nlohmann::json target;
  const bool scraped = eventually(
      [&] {
        const auto active = prometheus.first_active_target();
        if (!active) return false;
        target = *active;
        return target.value("health", std::string()) == "up";
      },
      std::chrono::seconds(40));
  ASSERT_TRUE(scraped) << target.dump() << "\n" << prometheus.log() << daemon_->log();
  EXPECT_EQ(target.value("lastError", std::string("?")), "") << target.dump();
  const auto value = nlohmann::json::parse(prometheus.get("/api/v1/query?query=hello_value"), nullptr, false);
  EXPECT_FALSE(value.is_discarded() || value["data"]["result"].empty()) << value.dump();
}

}  // namespace
}  // namespace gleaner::testing
