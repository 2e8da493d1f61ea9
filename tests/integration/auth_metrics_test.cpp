// Basic auth's own series (README "Metrics about gleaner itself") through
// the real binary: right, wrong, repeated wrong and missing credentials
// sent over HTTP, then the counts read back from a scrape with the right
// password, exactly; promtool and the strict OpenMetrics parser judge the
// text. Without basic auth the series are absent.

#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <signal.h>

#include <memory>
#include <string>
#include <vector>

#include "tests/support/basic_authorization.h"
#include "tests/support/bcrypt_hash.h"
#include "tests/support/daemon_fixture.h"
#include "tests/support/daemon_process.h"
#include "tests/support/http_client.h"
#include "tests/support/openmetrics_parser.h"
#include "tests/support/promtool.h"
#include "tests/support/scratch_dir.h"

namespace gleaner::testing {
namespace {

using ::testing::HasSubstr;
using ::testing::Not;

constexpr const char* kRight = "prometheus:s3cret-pass";
constexpr const char* kOpenMetrics = "Accept: application/openmetrics-text;version=1.0.0";
constexpr const char* kBasicAuthYaml = "web:\n  basic_auth: {username: prometheus, password_file: web.pass}\n";

class AuthMetricsTest : public ::testing::Test {
 protected:
  void SetUp() override { dir_.write("web.pass", bcrypt_hash("s3cret-pass") + "\n"); }
  void TearDown() override { daemon_.reset(); }

  int start(const std::string& yaml, const std::vector<std::string>& more_args = {}) {
    std::vector<std::string> args = {"--config", dir_.write("gleaner.yaml", yaml + "collectors: []\n"), "--listen",
                                     "127.0.0.1:0"};
    args.insert(args.end(), more_args.begin(), more_args.end());
    daemon_ = std::make_unique<DaemonProcess>(args);
    return daemon_->port();
  }

  // The status of a GET of path with these credentials ("" for none).
  int status_with(int port, const std::string& user_and_password, const std::string& path = "/metrics") const {
    std::vector<std::string> headers;
    if (!user_and_password.empty()) headers.push_back("Authorization: " + basic_authorization(user_and_password));
    const auto reply = http_request(port, path, headers);
    return reply ? reply->status : 0;
  }

  // The exposition, scraped with the right password; "" if not answered 200.
  std::string scrape(int port, const std::vector<std::string>& more_headers = {}) const {
    std::vector<std::string> headers = {std::string("Authorization: ") + basic_authorization(kRight)};
    headers.insert(headers.end(), more_headers.begin(), more_headers.end());
    const auto reply = http_request(port, "/metrics", headers);
    return reply && reply->status == 200 ? reply->body : "";
  }

  ScratchDir dir_;
  std::unique_ptr<DaemonProcess> daemon_;
};

TEST_F(AuthMetricsTest, CountsEveryOutcomeExactly) {
  const int port = start(kBasicAuthYaml);
  ASSERT_GT(port, 0) << daemon_->log();

  ASSERT_EQ(status_with(port, kRight), 200);                    // bcrypt, accepted and remembered
  ASSERT_EQ(status_with(port, "prometheus:guess"), 401);        // bcrypt, refused and remembered
  ASSERT_EQ(status_with(port, "prometheus:guess"), 401);        // refused at once, remembered
  ASSERT_EQ(status_with(port, "prometheus:guess"), 401);        // again
  ASSERT_EQ(status_with(port, ""), 401);                        // no credentials: no bcrypt
  // The worker may still be ending its last job when its answer arrives:
  // scrape until it is idle, each scrape a remembered acceptance.
  std::string body;
  int scrapes = 0;
  ASSERT_TRUE(eventually([&] {
    body = scrape(port);
    ++scrapes;
    return value_of(body, "gleaner_basic_auth_bcrypt_checks_pending") == 0.0;
  })) << body;

  EXPECT_EQ(value_of(body, "gleaner_basic_auth_refused_total{reason=\"credentials\"}"), 4.0) << body;
  EXPECT_EQ(value_of(body, "gleaner_basic_auth_refused_total{reason=\"busy\"}"), 0.0) << body;
  EXPECT_EQ(value_of(body, "gleaner_basic_auth_remembered_total{verdict=\"accepted\"}"), scrapes) << body;
  EXPECT_EQ(value_of(body, "gleaner_basic_auth_remembered_total{verdict=\"refused\"}"), 2.0) << body;
  EXPECT_EQ(value_of(body, "gleaner_basic_auth_bcrypt_checks_total"), 2.0) << body;
  EXPECT_THAT(body, HasSubstr("# TYPE gleaner_basic_auth_refused_total counter\n"));
  EXPECT_THAT(body, HasSubstr("# TYPE gleaner_basic_auth_bcrypt_checks_pending gauge\n"));

  const auto verdict = promtool_check_metrics(body);
  EXPECT_TRUE(verdict.clean) << verdict.output;

  // OpenMetrics: the same counts (one more acceptance: this scrape), the
  // counters' families named without _total.
  ASSERT_TRUE(openmetrics_parser_installed()) << "python3-prometheus-client is missing (.ci/install-deps)";
  const std::string om = scrape(port, {kOpenMetrics});
  ASSERT_THAT(om, HasSubstr("# EOF"));
  const auto parsed = openmetrics_check(om);
  ASSERT_TRUE(parsed.valid) << parsed.error << "\n" << om;
  int families_seen = 0;
  for (const auto& family : parsed.families) {
    const std::string name = family["name"];
    if (name.rfind("gleaner_basic_auth_", 0) != 0) continue;
    ++families_seen;
    for (const auto& sample : family["samples"]) {
      const std::string sample_name = sample["name"];
      const double value = sample["value"];
      if (name == "gleaner_basic_auth_refused") {
        EXPECT_EQ(family["type"], "counter");
        EXPECT_EQ(sample_name, "gleaner_basic_auth_refused_total");
        EXPECT_EQ(value, sample["labels"]["reason"] == "credentials" ? 4.0 : 0.0) << sample.dump();
      } else if (name == "gleaner_basic_auth_remembered") {
        EXPECT_EQ(family["type"], "counter");
        EXPECT_EQ(value, sample["labels"]["verdict"] == "accepted" ? scrapes + 1.0 : 2.0) << sample.dump();
      } else if (name == "gleaner_basic_auth_bcrypt_checks") {
        EXPECT_EQ(family["type"], "counter");
        EXPECT_EQ(sample_name, "gleaner_basic_auth_bcrypt_checks_total");
        EXPECT_EQ(value, 2.0);
      } else {
        EXPECT_EQ(name, "gleaner_basic_auth_bcrypt_checks_pending");
        EXPECT_EQ(family["type"], "gauge");
      }
    }
  }
  EXPECT_EQ(families_seen, 4) << om;
}

// basic_auth_users of a web configuration file count as web.basic_auth does.
TEST_F(AuthMetricsTest, WebConfigFileUsersAreCountedToo) {
  dir_.write("web-config.yml", "basic_auth_users:\n  prometheus: " + bcrypt_hash("s3cret-pass") + "\n");
  const int port = start("", {"--web.config.file=" + dir_.file("web-config.yml")});
  ASSERT_GT(port, 0) << daemon_->log();
  ASSERT_EQ(status_with(port, "prometheus:guess"), 401);
  const std::string body = scrape(port);
  EXPECT_EQ(value_of(body, "gleaner_basic_auth_bcrypt_checks_total"), 2.0) << body;
  EXPECT_EQ(value_of(body, "gleaner_basic_auth_refused_total{reason=\"credentials\"}"), 1.0) << body;
  EXPECT_EQ(value_of(body, "gleaner_basic_auth_remembered_total{verdict=\"accepted\"}"), 0.0) << body;
}

// Nothing to count without basic auth; a reload that turns it on brings
// the series, and one that keeps it keeps the counts.
TEST_F(AuthMetricsTest, AbsentWithoutBasicAuthUntilAReloadConfiguresIt) {
  const int port = start("");
  ASSERT_GT(port, 0) << daemon_->log();
  const auto plain = http_get(port, "/metrics");
  ASSERT_TRUE(plain && plain->status == 200);
  EXPECT_THAT(plain->body, Not(HasSubstr("gleaner_basic_auth_")));

  const auto reloads = [&] {
    const std::string log = daemon_->log();
    int count = 0;
    for (auto at = log.find("reloaded "); at != std::string::npos; at = log.find("reloaded ", at + 1)) ++count;
    return count;
  };
  dir_.write("gleaner.yaml", std::string(kBasicAuthYaml) + "collectors: []\n");
  daemon_->signal(SIGHUP);
  ASSERT_TRUE(eventually([&] { return reloads() == 1; })) << daemon_->log();
  EXPECT_EQ(status_with(port, "", "/"), 401);  // any path is counted, not only the exposition
  std::string body = scrape(port);
  EXPECT_EQ(value_of(body, "gleaner_basic_auth_refused_total{reason=\"credentials\"}"), 1.0) << body;
  EXPECT_EQ(value_of(body, "gleaner_basic_auth_bcrypt_checks_total"), 1.0) << body;

  daemon_->signal(SIGHUP);  // the same configuration
  ASSERT_TRUE(eventually([&] { return reloads() == 2; })) << daemon_->log();
  body = scrape(port);
  EXPECT_EQ(value_of(body, "gleaner_basic_auth_refused_total{reason=\"credentials\"}"), 1.0) << body;
  EXPECT_EQ(value_of(body, "gleaner_basic_auth_bcrypt_checks_total"), 1.0) << body;
  EXPECT_EQ(value_of(body, "gleaner_basic_auth_remembered_total{verdict=\"accepted\"}"), 1.0) << body;
}

}  // namespace
}  // namespace gleaner::testing
