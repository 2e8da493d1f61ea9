// Secrets from systemd credentials through the real binary: the password
// file, certificate and key named "${CREDENTIALS_DIRECTORY}/NAME", found in
// a directory made here as systemd makes one for LoadCredential= (files
// 0400, the directory 0500), scraped with curl; a missing variable or a
// name leaving the directory refused at its FILE:LINE:COLUMN.

#include <gmock/gmock.h>
#include <gtest/gtest.h>
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

class CredentialsTest : public ::testing::Test {
 protected:
  void SetUp() override {
    // Whatever the test runner's environment says, each test sets its own.
    ::unsetenv("CREDENTIALS_DIRECTORY");
    dir_ = scratch_.path().string();
    credentials_ = dir_ + "/credentials";
    std::filesystem::create_directory(credentials_);
  }
  void TearDown() override {
    daemon_.reset();
    ::chmod(credentials_.c_str(), 0700);
  }

  // What LoadCredential= leaves: read-only files in a read-only directory.
  void seal_credentials() {
    for (const auto& entry : std::filesystem::directory_iterator(credentials_)) ::chmod(entry.path().c_str(), 0400);
    ::chmod(credentials_.c_str(), 0500);
  }

  // A self-signed server certificate and its key, tls.crt and tls.key.
  void make_certificate() {
    const auto made = run_child({"openssl", "req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1",
                                 "-nodes", "-days", "2", "-subj", "/CN=localhost", "-addext",
                                 "subjectAltName=DNS:localhost,IP:127.0.0.1", "-keyout", credentials_ + "/tls.key",
                                 "-out", credentials_ + "/tls.crt"});
    ASSERT_EQ(made.exit_code, 0) << made.err;
  }

  // Starts the daemon with $CREDENTIALS_DIRECTORY set, then scrapes it over
  // HTTPS (curl trusting tls.crt, with extra_args) until the collector
  // "hello" is served; url: where.
  void start_and_scrape(const std::string& config, const std::vector<std::string>& extra_args, std::string& url) {
    daemon_ = std::make_unique<DaemonProcess>(std::vector<std::string>{"--config", config, "--listen", "127.0.0.1:0"},
                                              std::vector<std::string>{"CREDENTIALS_DIRECTORY=" + credentials_});
    ASSERT_GT(daemon_->port(), 0) << daemon_->log();
    url = "https://127.0.0.1:" + std::to_string(daemon_->port()) + "/metrics";
    std::vector<std::string> args = {"--cacert", credentials_ + "/tls.crt"};
    args.insert(args.end(), extra_args.begin(), extra_args.end());
    CurlReply reply;
    ASSERT_TRUE(eventually([&] {
      reply = curl(args, url);
      return reply.status == 200 && reply.body.find("hello_value{collector=\"hello\"} 1") != std::string::npos;
    })) << reply.error << reply.body << daemon_->log();
  }

  std::string write_config(const std::string& text) {
    const auto path = dir_ + "/gleaner.yaml";
    std::ofstream(path) << text;
    return path;
  }

  ScratchDir scratch_;  // removed with its files after the test
  std::string dir_;
  std::string credentials_;
  std::unique_ptr<DaemonProcess> daemon_;
};

TEST_F(CredentialsTest, PasswordCertificateAndKeyComeFromTheCredentialsDirectory) {
  ASSERT_NO_FATAL_FAILURE(make_certificate());
  std::ofstream(credentials_ + "/web.pass") << "cred-pass\n";
  seal_credentials();
  const auto config = write_config(R"(web:
  basic_auth:
    username: prometheus
    password_file: "${CREDENTIALS_DIRECTORY}/web.pass"
  tls:
    cert_file: "${CREDENTIALS_DIRECTORY}/tls.crt"
    key_file: "${CREDENTIALS_DIRECTORY}/tls.key"
collectors:
  - {name: hello, plugin: exec, command: [printf, "hello_value 1\n"]}
)");
  std::string url;
  ASSERT_NO_FATAL_FAILURE(start_and_scrape(config, {"-u", "prometheus:cred-pass"}, url));
  EXPECT_EQ(curl({"--cacert", credentials_ + "/tls.crt", "-u", "prometheus:guess"}, url).status, 401u);

  // --check-config sees the same files.
  ::setenv("CREDENTIALS_DIRECTORY", credentials_.c_str(), 1);
  const auto check = run_gleaner({"--config", config, "--check-config"}, kPatience);
  EXPECT_EQ(check.exit_code, 0) << check.err;
}

// exporter-toolkit's file names its files as it does; gleaner's one
// addition: the file itself, and the certificate and key it names, may be
// systemd credentials too.
TEST_F(CredentialsTest, TheWebConfigurationFileAndItsKeyMayBeCredentials) {
  ASSERT_NO_FATAL_FAILURE(make_certificate());
  std::ofstream(credentials_ + "/web-config.yml") << R"(tls_server_config:
  cert_file: "${CREDENTIALS_DIRECTORY}/tls.crt"
  key_file: "${CREDENTIALS_DIRECTORY}/tls.key"
)";
  seal_credentials();
  const auto config = write_config(R"(web:
  config_file: "${CREDENTIALS_DIRECTORY}/web-config.yml"
collectors:
  - {name: hello, plugin: exec, command: [printf, "hello_value 1\n"]}
)");
  std::string url;
  ASSERT_NO_FATAL_FAILURE(start_and_scrape(config, {}, url));

  // Without the variable, the error points into the web configuration file.
  const auto unset = run_gleaner({"--config", config, "--check-config"}, kPatience);
  EXPECT_EQ(unset.exit_code, 2);
  EXPECT_THAT(unset.err, HasSubstr(config + ":2:16: \"${CREDENTIALS_DIRECTORY}/web-config.yml\": $CREDENTIALS_DIRECTORY is not set"));
}

TEST_F(CredentialsTest, AnUnsetOrEmptyVariableIsAnErrorAtTheKey) {
  std::ofstream(credentials_ + "/web.pass") << "cred-pass\n";
  seal_credentials();
  const auto config = write_config(R"(web:
  basic_auth:
    username: prometheus
    password_file: "${CREDENTIALS_DIRECTORY}/web.pass"
)");
  const auto unset = run_gleaner({"--config", config, "--check-config"}, kPatience);
  EXPECT_EQ(unset.exit_code, 2);
  EXPECT_THAT(unset.err, HasSubstr(config + ":4:20: \"${CREDENTIALS_DIRECTORY}/web.pass\": $CREDENTIALS_DIRECTORY is "
                                            "not set (systemd sets it for a service with LoadCredential=)"));
  ::setenv("CREDENTIALS_DIRECTORY", "", 1);
  const auto empty = run_gleaner({"--config", config, "--check-config"}, kPatience);
  EXPECT_EQ(empty.exit_code, 2);
  EXPECT_THAT(empty.err, HasSubstr(config + ":4:20: \"${CREDENTIALS_DIRECTORY}/web.pass\": $CREDENTIALS_DIRECTORY is empty"));
  // And the daemon itself does not start from it.
  ::unsetenv("CREDENTIALS_DIRECTORY");
  const auto start = run_gleaner({"--config", config, "--listen", "127.0.0.1:0"}, kPatience);
  EXPECT_EQ(start.exit_code, 2);
  EXPECT_THAT(start.err, HasSubstr(config + ":4:20:"));
}

TEST_F(CredentialsTest, ANameLeavingTheDirectoryIsRefused) {
  std::ofstream(credentials_ + "/web.pass") << "cred-pass\n";
  seal_credentials();
  // A trusted file right above the directory: only the name stands between it and gleaner.
  std::ofstream(dir_ + "/outside.pass") << "outside\n";
  ::chmod((dir_ + "/outside.pass").c_str(), 0600);
  ::setenv("CREDENTIALS_DIRECTORY", credentials_.c_str(), 1);
  for (const std::string name : {"../outside.pass", "..", "sub/web.pass", ""}) {
    const auto config = write_config("web:\n  tls:\n    cert_file: \"${CREDENTIALS_DIRECTORY}/" + name +
                                     "\"\n    key_file: /nonexistent/but/not/reached\n");
    const auto result = run_gleaner({"--config", config, "--check-config"}, kPatience);
    EXPECT_EQ(result.exit_code, 2) << name;
    EXPECT_THAT(result.err, HasSubstr(config + ":3:16: \"${CREDENTIALS_DIRECTORY}/" + name + "\": \"" + name +
                                      "\" is not a credential name"))
        << result.err;
  }
}

}  // namespace
}  // namespace gleaner::testing
