// The endpoint's security through the real binary: basic auth and TLS from
// the `web:` block, scraped with curl; a self-signed certificate made here
// with openssl; configuration errors in the files at their FILE:LINE:COLUMN.

#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <signal.h>
#include <stdlib.h>
#include <sys/stat.h>

#include <filesystem>
#include <fstream>

#include "tests/support/child_command.h"
#include "tests/support/curl_client.h"
#include "tests/support/daemon_process.h"
#include "tests/support/scratch_dir.h"

namespace gleaner::testing {
namespace {

using ::testing::HasSubstr;

class WebSecurityTest : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = scratch_.path().string();
    // A certificate for 127.0.0.1, signed by itself.
    const auto made = run_child({"openssl", "req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1",
                                 "-nodes", "-days", "2", "-subj", "/CN=localhost", "-addext",
                                 "subjectAltName=DNS:localhost,IP:127.0.0.1", "-keyout", dir_ + "/tls.key", "-out",
                                 dir_ + "/tls.crt"});
    ASSERT_EQ(made.exit_code, 0) << made.err;
    ::chmod((dir_ + "/tls.key").c_str(), 0600);
    std::ofstream(dir_ + "/web.pass") << "s3cret-pass\n";
    ::chmod((dir_ + "/web.pass").c_str(), 0600);
  }
  void TearDown() override {
    daemon_.reset();
  }

  std::string write_config(const std::string& text) {
    const auto path = dir_ + "/gleaner.yaml";
    std::ofstream(path) << text;
    return path;
  }

  std::string url(const std::string& scheme, const std::string& path = "/metrics") const {
    return scheme + "://127.0.0.1:" + std::to_string(daemon_->port()) + path;
  }

  ScratchDir scratch_;  // removed with its files after the test
  std::string dir_;
  std::unique_ptr<DaemonProcess> daemon_;
};

TEST_F(WebSecurityTest, BasicAuthAndTlsOnEveryPath) {
  const auto config = write_config(R"(web:
  basic_auth: {username: prometheus, password_file: web.pass}
  tls: {cert_file: tls.crt, key_file: tls.key}
collectors:
  - {name: hello, plugin: exec, command: [printf, "hello_value 1\n"]}
)");
  daemon_ = std::make_unique<DaemonProcess>(std::vector<std::string>{"--config", config, "--listen", "127.0.0.1:0"});
  ASSERT_GT(daemon_->port(), 0) << daemon_->log();
  const std::vector<std::string> tls = {"--cacert", dir_ + "/tls.crt"};

  auto ok = tls;
  ok.insert(ok.end(), {"-u", "prometheus:s3cret-pass"});
  CurlReply reply;
  ASSERT_TRUE(eventually([&] {
    reply = curl(ok, url("https"));
    return reply.status == 200 && reply.body.find("hello_value{collector=\"hello\"} 1") != std::string::npos;
  })) << reply.error << reply.body;

  auto wrong = tls;
  wrong.insert(wrong.end(), {"-u", "prometheus:guess"});
  EXPECT_EQ(curl(wrong, url("https")).status, 401u);
  auto stranger = tls;
  stranger.insert(stranger.end(), {"-u", "someone:s3cret-pass"});
  EXPECT_EQ(curl(stranger, url("https")).status, 401u);
  for (const char* path : {"/", "/-/healthy", "/metrics"}) {
    const auto anonymous = curl(tls, url("https", path));
    EXPECT_EQ(anonymous.status, 401u) << path;
    EXPECT_EQ(anonymous.headers.count("www-authenticate"), 1u) << path;
    EXPECT_EQ(curl(ok, url("https", path)).status, 200u) << path;
  }
  // Plain HTTP on the TLS port gets no metrics.
  EXPECT_NE(curl({"-u", "prometheus:s3cret-pass"}, url("http")).status, 200u);
}

TEST_F(WebSecurityTest, ReloadTurnsAuthOnWithoutClosingTheSocket) {
  const auto config = write_config("collectors: []\n");
  daemon_ = std::make_unique<DaemonProcess>(std::vector<std::string>{"--config", config, "--listen", "127.0.0.1:0"});
  ASSERT_GT(daemon_->port(), 0) << daemon_->log();
  EXPECT_EQ(curl({}, url("http")).status, 200u);
  write_config("web:\n  basic_auth: {username: prometheus, password_file: web.pass}\ncollectors: []\n");
  daemon_->signal(SIGHUP);
  ASSERT_TRUE(eventually([&] { return curl({}, url("http")).status == 401; })) << daemon_->log();
  EXPECT_EQ(curl({"-u", "prometheus:s3cret-pass"}, url("http")).status, 200u);
}

TEST_F(WebSecurityTest, BadFilesAreConfigurationErrorsAtTheirPlace) {
  // A key that is not the certificate's.
  ASSERT_EQ(run_child({"openssl", "ecparam", "-name", "prime256v1", "-genkey", "-noout", "-out", dir_ + "/other.key"}).exit_code, 0);
  ::chmod((dir_ + "/other.key").c_str(), 0600);
  auto config = write_config("web:\n  tls: {cert_file: tls.crt, key_file: other.key}\ncollectors: []\n");
  auto result = run_gleaner({"--config", config, "--check-config"});
  EXPECT_EQ(result.exit_code, 2);
  EXPECT_THAT(result.err, HasSubstr(config + ":2:8: web.tls: "));

  config = write_config("web:\n  basic_auth: {username: prometheus, password_file: missing.pass}\ncollectors: []\n");
  result = run_gleaner({"--config", config, "--check-config"});
  EXPECT_EQ(result.exit_code, 2);
  EXPECT_THAT(result.err, HasSubstr(config + ":2:53: "));
  EXPECT_THAT(result.err, HasSubstr("missing.pass"));

  ::chmod((dir_ + "/tls.key").c_str(), 0666);
  config = write_config("web:\n  tls: {cert_file: tls.crt, key_file: tls.key}\ncollectors: []\n");
  result = run_gleaner({"--config", config, "--check-config"});
  EXPECT_EQ(result.exit_code, 2);
  EXPECT_THAT(result.err, HasSubstr(config + ":2:39: " + dir_ + "/tls.key is writable by everyone"));
}

}  // namespace
}  // namespace gleaner::testing
