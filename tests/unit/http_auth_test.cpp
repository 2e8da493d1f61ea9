// Basic auth on the HTTP server: the Authorization field, the password file
// (plain or bcrypt), and a real server asked by curl and by raw sockets:
// who gets in, what the others get, and that bcrypt never holds up the io
// thread nor grows a queue without bound.

#include <crypt.h>
#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <spdlog/sinks/ostream_sink.h>
#include <spdlog/spdlog.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <future>
#include <memory>
#include <mutex>
#include <sstream>
#include <string>
#include <thread>
#include <vector>

#include "tests/support/basic_authorization.h"
#include "tests/support/bcrypt_hash.h"
#include "tests/support/curl_client.h"
#include "tests/support/http_client.h"
#include "tests/support/http_server_on_thread.h"
#include "tests/support/io_wait.h"
#include "tests/support/raw_http_connection.h"
#include "tests/support/scratch_dir.h"
#include "daemon/http/authorization_header.h"
#include "daemon/http/basic_auth_credentials.h"
#include "daemon/http/basic_auth_gate.h"
#include "daemon/http/bcrypt.h"
#include "daemon/http/digest_ring.h"
#include "daemon/http/pending_places.h"
#include "daemon/http/remembered_verdicts.h"
#include "daemon/http/web_security.h"
#include "daemon/http/worker_thread.h"

namespace gleaner::http {
namespace {

using gleaner::testing::basic_authorization;
using gleaner::testing::bcrypt_hash;
using gleaner::testing::curl;
using gleaner::testing::CurlReply;
using gleaner::testing::eventually;
using gleaner::testing::HttpServerOnThread;
using gleaner::testing::RawHttpConnection;
using gleaner::testing::ScratchDir;
using ::testing::HasSubstr;
using ::testing::StartsWith;
using namespace std::chrono_literals;

constexpr const char* kChallenge = R"(Basic realm="gleaner")";
// "Basic " + base64 of "prometheus:secret", and so on: written out, so the
// server's decoder is checked against an independent encoding.
constexpr const char* kRightAuthorization = "Basic cHJvbWV0aGV1czpzZWNyZXQ=";
constexpr const char* kWrongAuthorization = "Basic cHJvbWV0aGV1czp3cm9uZw==";    // prometheus:wrong
constexpr const char* kRenewedAuthorization = "Basic cHJvbWV0aGV1czpyZW5ld2Vk";  // prometheus:renewed

HttpResponse route(const HttpRequest& request) {
  if (request.path == "/") return {.body = "hello\n"};
  if (request.path == "/-/healthy") return {.body = "OK\n"};
  if (request.path == "/metrics") return {.body = "gleaner_up 1\n"};
  return {.status = 404, .body = "no such page\n"};
}

// ---------------------------------------------------------------------------
// The Authorization field.

TEST(AuthorizationHeaderTest, DecodesBasicCredentials) {
  auto presented = parse_basic_authorization(kRightAuthorization);
  ASSERT_TRUE(presented);
  EXPECT_EQ(presented->username, "prometheus");
  EXPECT_EQ(presented->password, "secret");

  presented = parse_basic_authorization("bAsIc   cHJvbWV0aGV1czpwYXNzOndpdGg6Y29sb25z  ");
  ASSERT_TRUE(presented) << "the scheme is case-insensitive; spaces around the token are allowed";
  EXPECT_EQ(presented->username, "prometheus");
  EXPECT_EQ(presented->password, "pass:with:colons") << "only the first ':' separates";

  presented = parse_basic_authorization("Basic YTo=");  // "a:"
  ASSERT_TRUE(presented);
  EXPECT_EQ(presented->username, "a");
  EXPECT_EQ(presented->password, "");
}

TEST(AuthorizationHeaderTest, RefusesWhatIsNotBasicAuth) {
  for (const char* value : {"", "Basic", "Basic ", "Bearer cHJvbWV0aGV1czpzZWNyZXQ=", "Basiccm9vdDpz",
                            "Basic cHJvbWV0aGV1cw==",                                       // "prometheus": no ':'
                            "Basic cHJvbWV0aGV1czpzZWNyZXQ",                                // padding missing
                            "Basic cHJvbWV0aGV1czpzZWNyZXQ=x", "Basic !!!!", "Basic YR==",  // non-zero pad bits
                            "Basic ====", "Basic cHJv bWV0aGV1czpzZWNyZXQ="}) {
    EXPECT_FALSE(parse_basic_authorization(value)) << value;
  }
}

// ---------------------------------------------------------------------------
// bcrypt, through libxcrypt.

TEST(BcryptTest, RecognisesWholeHashesOnly) {
  const std::string hash = bcrypt_hash("secret");
  EXPECT_TRUE(is_bcrypt_hash(hash)) << hash;
  for (const char* prefix : {"$2a$", "$2y$"}) EXPECT_TRUE(is_bcrypt_hash(prefix + hash.substr(4)));
  EXPECT_FALSE(is_bcrypt_hash("$2x$" + hash.substr(4)));
  EXPECT_FALSE(is_bcrypt_hash(hash.substr(0, 59)));
  EXPECT_FALSE(is_bcrypt_hash(hash + "a"));
  EXPECT_FALSE(is_bcrypt_hash("$2b$03$" + hash.substr(7))) << "cost below 4";
  EXPECT_FALSE(is_bcrypt_hash("$2b$32$" + hash.substr(7))) << "cost above 31";
  EXPECT_FALSE(is_bcrypt_hash(hash.substr(0, 40) + "!" + hash.substr(41)));
  EXPECT_TRUE(has_bcrypt_prefix("$2y$short"));
  EXPECT_FALSE(has_bcrypt_prefix("$6$sha512crypt"));
}

TEST(BcryptTest, MatchesOnlyTheRightPassword) {
  for (const char* prefix : {"$2a$", "$2b$", "$2y$"}) {
    const std::string hash = bcrypt_hash("secret", prefix);
    ASSERT_FALSE(hash.empty()) << prefix;
    EXPECT_TRUE(bcrypt_matches("secret", hash)) << prefix;
    EXPECT_FALSE(bcrypt_matches("Secret", hash)) << prefix;
    EXPECT_FALSE(bcrypt_matches("", hash)) << prefix;
    EXPECT_FALSE(bcrypt_matches(std::string("secret\0more", 11), hash)) << "crypt() would stop at the NUL";
  }
  EXPECT_FALSE(bcrypt_matches("secret", "$2b$04$not-a-hash"));
}

// ---------------------------------------------------------------------------
// The pieces that keep bcrypt cheap and bounded.

TEST(DigestRingTest, KeepsTheLatestEntriesAndNoMore) {
  DigestRing ring(64);
  constexpr int kInserted = 100;
  for (int i = 0; i < kInserted; ++i) ring.remember(sha256(std::to_string(i)));
  int kept = 0;
  for (int i = 0; i < kInserted; ++i) kept += ring.contains(sha256(std::to_string(i)));
  EXPECT_EQ(kept, 64);
  EXPECT_TRUE(ring.contains(sha256(std::to_string(kInserted - 1))));
  EXPECT_FALSE(ring.contains(sha256("0"))) << "the oldest made room";
  ring.clear();
  EXPECT_FALSE(ring.contains(sha256(std::to_string(kInserted - 1))));
}

TEST(RememberedVerdictsTest, RemembersBothVerdictsForTheSameCredentialsOnly) {
  RememberedVerdicts verdicts;
  const Sha256Digest credentials = sha256("prometheus:$2b$04$one");
  using Verdict = RememberedVerdicts::Verdict;
  EXPECT_EQ(verdicts.recall(credentials, {"prometheus", "secret"}), Verdict::unknown);
  verdicts.remember(credentials, {"prometheus", "secret"}, true);
  verdicts.remember(credentials, {"prometheus", "wrong"}, false);
  EXPECT_EQ(verdicts.recall(credentials, {"prometheus", "secret"}), Verdict::accepted);
  EXPECT_EQ(verdicts.recall(credentials, {"prometheus", "wrong"}), Verdict::refused);
  EXPECT_EQ(verdicts.recall(credentials, {"prometheus", "other"}), Verdict::unknown);
  EXPECT_EQ(verdicts.recall(credentials, {"prometheus:secret", ""}), Verdict::unknown) << "the separator is unambiguous";

  const Sha256Digest renewed = sha256("prometheus:$2b$04$two");
  EXPECT_EQ(verdicts.recall(renewed, {"prometheus", "wrong"}), Verdict::unknown) << "other credentials: all forgotten";
  verdicts.remember(credentials, {"prometheus", "wrong"}, false);  // a check that ran across the change
  EXPECT_EQ(verdicts.recall(renewed, {"prometheus", "wrong"}), Verdict::unknown) << "not taken for the new ones";
}

TEST(RememberedVerdictsTest, KeepsTheLatestRefusalsAndNoMore) {
  RememberedVerdicts verdicts;
  const Sha256Digest credentials = sha256("prometheus:$2b$04$one");
  verdicts.recall(credentials, {"prometheus", "first"});
  const int inserted = static_cast<int>(RememberedVerdicts::kRefusedCapacity) + 10;
  for (int i = 0; i < inserted; ++i) verdicts.remember(credentials, {"prometheus", std::to_string(i)}, false);
  EXPECT_EQ(verdicts.recall(credentials, {"prometheus", "0"}), RememberedVerdicts::Verdict::unknown);
  EXPECT_EQ(verdicts.recall(credentials, {"prometheus", std::to_string(inserted - 1)}),
            RememberedVerdicts::Verdict::refused);
}

TEST(PendingPlacesTest, OneClientCannotTakeEveryPlace) {
  PendingPlaces places;
  std::vector<std::shared_ptr<PendingPlaces::Place>> flood;
  for (std::size_t i = 0; i < PendingPlaces::kPerClient; ++i) {
    flood.push_back(places.take("10.0.0.1"));
    ASSERT_NE(flood.back(), nullptr);
    EXPECT_EQ(flood.back()->first_of_its_client(), i == 0);
  }
  EXPECT_EQ(places.take("10.0.0.1"), nullptr) << "at its share";
  EXPECT_EQ(places.taken(), PendingPlaces::kPerClient);
  flood.pop_back();
  EXPECT_NE(places.take("10.0.0.1"), nullptr) << "a place given back can be taken again";
}

TEST(PendingPlacesTest, ManyClientsLeaveTheReserveToAClientWithNone) {
  PendingPlaces places;
  std::vector<std::shared_ptr<PendingPlaces::Place>> held;
  // Clients that already hold a place fill what is not reserved.
  for (int client = 0; held.size() < PendingPlaces::kTotal - PendingPlaces::kReservedForNewClients; ++client) {
    const std::string name = "10.0.0." + std::to_string(client);
    held.push_back(places.take(name));
    held.push_back(places.take(name));
  }
  EXPECT_EQ(places.take("10.0.0.0"), nullptr) << "the rest is reserved for clients that hold none";
  for (std::size_t i = 0; i < PendingPlaces::kReservedForNewClients; ++i) {
    auto place = places.take("10.1.0." + std::to_string(i));
    ASSERT_NE(place, nullptr) << i;
    EXPECT_TRUE(place->first_of_its_client());
    held.push_back(std::move(place));
  }
  EXPECT_EQ(places.take("10.2.0.1"), nullptr) << "every place taken";
  EXPECT_EQ(places.taken(), PendingPlaces::kTotal);
  held.clear();
  EXPECT_EQ(places.taken(), 0u);
}

// Jobs that each wait until released, then record their id in the order
// they ran.
struct GatedJobs {
  std::promise<void> release;
  std::shared_future<void> released = release.get_future().share();
  std::atomic<int> started{0};
  std::mutex order_mutex;
  std::vector<int> order;

  std::function<void()> job(int id) {
    return [this, id] {
      ++started;
      released.wait();
      const std::lock_guard lock(order_mutex);
      order.push_back(id);
    };
  }
  std::vector<int> ran() {
    const std::lock_guard lock(order_mutex);
    return order;
  }
};

TEST(WorkerThreadTest, JobsPostedAheadRunBeforeTheOthersInTheirOrder) {
  GatedJobs jobs;  // outlives the worker, whose jobs use it
  WorkerThread worker(8);
  ASSERT_TRUE(worker.try_post(jobs.job(1)));
  ASSERT_TRUE(eventually([&] { return jobs.started == 1; }));
  ASSERT_TRUE(worker.try_post(jobs.job(2)));
  ASSERT_TRUE(worker.try_post(jobs.job(3)));
  ASSERT_TRUE(worker.try_post(jobs.job(4), true));
  ASSERT_TRUE(worker.try_post(jobs.job(5), true));
  ASSERT_TRUE(worker.try_post(jobs.job(6)));
  jobs.release.set_value();
  ASSERT_TRUE(eventually([&] { return worker.pending() == 0; }));
  EXPECT_EQ(jobs.ran(), (std::vector<int>{1, 4, 5, 2, 3, 6}));
}

TEST(WorkerThreadTest, RefusesJobsBeyondItsCapacityAndRunsTheRestInOrder) {
  GatedJobs jobs;  // outlives the worker, whose jobs use it
  WorkerThread worker(3);
  ASSERT_TRUE(worker.try_post(jobs.job(1)));
  ASSERT_TRUE(eventually([&] { return jobs.started == 1; })) << "the first job runs, and blocks";
  EXPECT_TRUE(worker.try_post(jobs.job(2)));
  EXPECT_TRUE(worker.try_post(jobs.job(3)));
  EXPECT_EQ(worker.pending(), 3u);
  EXPECT_FALSE(worker.try_post(jobs.job(4))) << "one running and two waiting is the bound";
  jobs.release.set_value();
  ASSERT_TRUE(eventually([&] { return worker.pending() == 0; }));
  EXPECT_EQ(jobs.ran(), (std::vector<int>{1, 2, 3}));
}

TEST(WorkerThreadTest, DroppedJobsNeverRunAndStopWaitsForTheRunningOne) {
  WorkerThread worker(4);
  std::promise<void> release;
  std::shared_future<void> released = release.get_future().share();
  std::atomic<int> started{0};
  std::atomic<int> finished{0};
  auto owned = std::make_shared<int>(0);
  for (int i = 0; i < 3; ++i) {
    ASSERT_TRUE(worker.try_post([&, owned] {
      ++started;
      released.wait();
      ++finished;
    }));
  }
  ASSERT_TRUE(eventually([&] { return started == 1; }));
  worker.drop_waiting();
  EXPECT_EQ(owned.use_count(), 2) << "the dropped jobs released what they held; the running one did not";
  std::thread releaser([&] {
    std::this_thread::sleep_for(50ms);
    release.set_value();
  });
  worker.stop();
  releaser.join();
  EXPECT_EQ(finished, 1);
  EXPECT_EQ(owned.use_count(), 1);
  EXPECT_FALSE(worker.try_post([] {})) << "a stopped worker takes nothing";
}

// ---------------------------------------------------------------------------
// Loading the settings.

class BasicAuthLoadTest : public ::testing::Test {
 protected:
  WebSecurityLoad load(const std::string& username, const std::string& password_file) {
    WebSecuritySettings settings;
    settings.basic_auth = BasicAuthSettings{.username = username, .password_file = password_file};
    return load_web_security(settings);
  }

  ScratchDir dir_;
};

TEST_F(BasicAuthLoadTest, LoadsAPlainPasswordWithoutItsLineEnd) {
  for (const char* content : {"secret", "secret\n", "secret\r\n", "secret\n\n"}) {
    const WebSecurityLoad loaded = load("prometheus", dir_.write("web.pass", content));
    ASSERT_EQ(loaded.error, "") << content;
    ASSERT_TRUE(loaded.security && loaded.security->basic_auth());
    EXPECT_FALSE(loaded.security->basic_auth()->is_bcrypt_hashed());
    EXPECT_FALSE(loaded.security->tls_context());
    const auto& credentials = *loaded.security->basic_auth();
    EXPECT_EQ(credentials.check_quickly({"prometheus", "secret"}), BasicAuthCredentials::QuickVerdict::accepted);
    EXPECT_EQ(credentials.check_quickly({"prometheus", "secret\n"}), BasicAuthCredentials::QuickVerdict::rejected);
    EXPECT_EQ(credentials.check_quickly({"Prometheus", "secret"}), BasicAuthCredentials::QuickVerdict::rejected);
  }
}

TEST_F(BasicAuthLoadTest, LoadsABcryptHash) {
  const WebSecurityLoad loaded = load("prometheus", dir_.write("web.pass", bcrypt_hash("secret") + "\n"));
  ASSERT_EQ(loaded.error, "");
  const auto& credentials = *loaded.security->basic_auth();
  EXPECT_TRUE(credentials.is_bcrypt_hashed());
  EXPECT_EQ(credentials.check_quickly({"prometheus", "secret"}), BasicAuthCredentials::QuickVerdict::needs_bcrypt);
  EXPECT_TRUE(credentials.check_with_bcrypt({"prometheus", "secret"}));
  EXPECT_EQ(credentials.check_quickly({"prometheus", "secret"}), BasicAuthCredentials::QuickVerdict::needs_bcrypt)
      << "the credentials remember nothing: the gate does";
  EXPECT_FALSE(credentials.check_with_bcrypt({"someone", "secret"}));
}

TEST_F(BasicAuthLoadTest, TheSamePasswordFileLoadedAgainHasTheSameFingerprint) {
  const std::string hash = bcrypt_hash("secret");
  const std::string path = dir_.write("web.pass", hash + "\n");
  const WebSecurityLoad first = load("prometheus", path);
  const WebSecurityLoad again = load("prometheus", path);
  ASSERT_EQ(first.error, "");
  ASSERT_EQ(again.error, "");
  EXPECT_EQ(first.security->basic_auth()->fingerprint(), again.security->basic_auth()->fingerprint());
  EXPECT_NE(load("grafana", path).security->basic_auth()->fingerprint(), first.security->basic_auth()->fingerprint());
  const WebSecurityLoad renewed = load("prometheus", dir_.write("web.pass", bcrypt_hash("secret") + "\n"));
  EXPECT_NE(renewed.security->basic_auth()->fingerprint(), first.security->basic_auth()->fingerprint())
      << "a new salt, a new hash";
}

TEST_F(BasicAuthLoadTest, NoSettingsLoadsNoSecurity) {
  const WebSecurityLoad loaded = load_web_security({});
  ASSERT_EQ(loaded.error, "");
  ASSERT_TRUE(loaded.security);
  EXPECT_FALSE(loaded.security->basic_auth());
  EXPECT_FALSE(loaded.security->tls_context());
}

TEST_F(BasicAuthLoadTest, ReportsAMissingOrUnreadablePasswordFile) {
  const std::string missing = dir_.file("missing.pass");
  WebSecurityLoad loaded = load("prometheus", missing);
  EXPECT_FALSE(loaded.security);
  EXPECT_EQ(loaded.error_field, "basic_auth.password_file");
  EXPECT_EQ(loaded.error, "cannot read " + missing + ": No such file or directory");

  loaded = load("prometheus", dir_.path().string());
  EXPECT_EQ(loaded.error_field, "basic_auth.password_file");
  EXPECT_EQ(loaded.error, dir_.path().string() + " is a directory, not a regular file");

  if (::geteuid() != 0) {  // root reads anything
    const std::string locked = dir_.write("locked.pass", "secret");
    ::chmod(locked.c_str(), 0);
    loaded = load("prometheus", locked);
    EXPECT_EQ(loaded.error, "cannot read " + locked + ": Permission denied");
  }
}

TEST_F(BasicAuthLoadTest, ReportsAPasswordFileThatHoldsNoUsablePassword) {
  for (const char* content : {"", "\n", "\r\n"}) {
    const std::string path = dir_.write("empty.pass", content);
    const WebSecurityLoad loaded = load("prometheus", path);
    EXPECT_FALSE(loaded.security);
    EXPECT_EQ(loaded.error_field, "basic_auth.password_file");
    EXPECT_EQ(loaded.error, path + " is empty: it must hold the password, or its bcrypt hash");
  }

  const std::string two_lines = dir_.write("two.pass", "secret\nother\n");
  EXPECT_THAT(load("prometheus", two_lines).error, HasSubstr(two_lines + " holds more than one line"));

  const std::string truncated = dir_.write("truncated.pass", bcrypt_hash("secret").substr(0, 30));
  const WebSecurityLoad loaded = load("prometheus", truncated);
  EXPECT_EQ(loaded.error_field, "basic_auth.password_file");
  EXPECT_THAT(loaded.error, StartsWith(truncated + " starts like a bcrypt hash ($2b$) but is not a whole one"));
}

TEST_F(BasicAuthLoadTest, ReportsAUsernameBasicAuthCannotCarry) {
  const std::string path = dir_.write("web.pass", "secret");
  WebSecurityLoad loaded = load("", path);
  EXPECT_EQ(loaded.error_field, "basic_auth.username");
  EXPECT_EQ(loaded.error, "the username must not be empty");
  loaded = load("pro:metheus", path);
  EXPECT_EQ(loaded.error_field, "basic_auth.username");
  EXPECT_THAT(loaded.error, HasSubstr("must not contain ':'"));
}

// ---------------------------------------------------------------------------
// A server asking for credentials.

class BasicAuthServerTest : public ::testing::Test {
 protected:
  // Serves with basic auth for prometheus, whose password file holds
  // password_file_content.
  void start(const std::string& password_file_content, HttpServerOptions options = {}) {
    server_.emplace(options, route, load_security(password_file_content));
  }

  std::shared_ptr<const WebSecurity> load_security(const std::string& password_file_content) {
    WebSecuritySettings settings;
    settings.basic_auth =
        BasicAuthSettings{.username = "prometheus", .password_file = dir_.write("web.pass", password_file_content)};
    const WebSecurityLoad loaded = load_web_security(settings);
    EXPECT_EQ(loaded.error, "");
    return loaded.security;
  }

  std::string url(const std::string& path) const {
    return "http://127.0.0.1:" + std::to_string(server_->port()) + path;
  }

  CurlReply get(const std::string& path, const std::string& user_and_password = "") const {
    std::vector<std::string> options;
    if (!user_and_password.empty()) options = {"--user", user_and_password};
    return curl(options, url(path));
  }

  AuthStatistics statistics() const { return server_->server().auth_statistics(); }

  ScratchDir dir_;
  std::optional<HttpServerOnThread> server_;
};

void expect_challenge(const CurlReply& reply) {
  EXPECT_EQ(reply.exit_code, 0) << reply.error;
  EXPECT_EQ(reply.status, 401u);
  EXPECT_EQ(reply.headers.count("www-authenticate") ? reply.headers.at("www-authenticate") : "", kChallenge);
  EXPECT_EQ(reply.body, "unauthorized\n");
}

TEST_F(BasicAuthServerTest, RightPlainPasswordGetsThePage) {
  start("secret\n");
  const CurlReply reply = get("/metrics", "prometheus:secret");
  EXPECT_EQ(reply.exit_code, 0) << reply.error;
  EXPECT_EQ(reply.status, 200u);
  EXPECT_EQ(reply.body, "gleaner_up 1\n");
  EXPECT_EQ(statistics().bcrypt_checks, 0u) << "a plain password needs no worker";
}

TEST_F(BasicAuthServerTest, WrongPasswordGets401WithTheChallenge) {
  start("secret\n");
  expect_challenge(get("/metrics", "prometheus:wrong"));
  expect_challenge(get("/metrics", "prometheus:secret\n"));
  expect_challenge(get("/metrics", "prometheus:"));
  EXPECT_EQ(statistics().refused_credentials, 3u);
}

TEST_F(BasicAuthServerTest, MissingCredentialsGet401WithTheChallenge) {
  start("secret\n");
  expect_challenge(get("/metrics"));
}

TEST_F(BasicAuthServerTest, WrongUsernameGets401WithTheChallenge) {
  start("secret\n");
  expect_challenge(get("/metrics", "root:secret"));
  expect_challenge(get("/metrics", "Prometheus:secret"));
}

TEST_F(BasicAuthServerTest, EveryPathAndMethodAsksForCredentials) {
  start("secret\n");
  for (const char* path : {"/", "/-/healthy", "/metrics", "/nothing-here"}) {
    SCOPED_TRACE(path);
    expect_challenge(get(path));
  }
  EXPECT_EQ(get("/", "prometheus:secret").body, "hello\n");
  EXPECT_EQ(get("/-/healthy", "prometheus:secret").body, "OK\n");
  EXPECT_EQ(get("/nothing-here", "prometheus:secret").status, 404u) << "only the let-in learn what exists";

  const CurlReply head = curl({"--head"}, url("/metrics"));
  EXPECT_EQ(head.status, 401u);
  EXPECT_EQ(head.headers.at("www-authenticate"), kChallenge);
  EXPECT_EQ(head.body, "");
  EXPECT_EQ(curl({"--request", "POST", "--data", "x=1"}, url("/")).status, 401u);
}

TEST_F(BasicAuthServerTest, RefusalsAreLoggedAtMostOnceAMinute) {
  std::ostringstream log;
  const auto previous_logger = spdlog::default_logger();
  spdlog::set_default_logger(
      std::make_shared<spdlog::logger>("test", std::make_shared<spdlog::sinks::ostream_sink_st>(log)));
  start("secret\n");
  for (int i = 0; i < 5; ++i) expect_challenge(get("/metrics", "prometheus:wrong"));
  expect_challenge(get("/metrics"));
  server_.reset();  // the io thread logs no more
  spdlog::set_default_logger(previous_logger);

  const std::string text = log.str();
  EXPECT_THAT(text, HasSubstr("refused 1 request(s) without valid basic auth credentials"));
  EXPECT_THAT(text, HasSubstr("whose username or password is wrong"));
  EXPECT_EQ(text.find("refused", text.find("refused") + 1), std::string::npos) << text;
}

TEST_F(BasicAuthServerTest, MalformedAuthorizationGets401AndTheConnectionStays) {
  start("secret\n");
  RawHttpConnection connection(server_->port());
  ASSERT_TRUE(connection.connected());
  for (const char* authorization : {"Basic !!!!", "Bearer cHJvbWV0aGV1czpzZWNyZXQ=", "Basic YTo=", "Basic"}) {
    ASSERT_TRUE(connection.send_get("/", authorization));
    const auto reply = connection.read_reply();
    ASSERT_TRUE(reply) << authorization;
    EXPECT_EQ(reply->status, 401u) << authorization;
    EXPECT_EQ(reply->www_authenticate, kChallenge);
    EXPECT_TRUE(reply->keep_alive) << "a browser answers the challenge on the same connection";
  }
  ASSERT_TRUE(connection.send_get("/", kRightAuthorization));
  EXPECT_EQ(connection.read_reply().value_or(gleaner::testing::RawReply{}).status, 200u);
}

TEST_F(BasicAuthServerTest, BcryptHashLetsTheRightPasswordInAndTheSecondRequestUsesTheCache) {
  start(bcrypt_hash("secret"));
  for (const char* prefix : {"$2a$", "$2b$", "$2y$"}) {
    SCOPED_TRACE(prefix);
    server_->set_security(load_security(bcrypt_hash("secret", prefix) + "\n"));  // a fresh cache with each
    const AuthStatistics before = statistics();
    const CurlReply first = get("/metrics", "prometheus:secret");
    EXPECT_EQ(first.status, 200u) << first.error;
    EXPECT_EQ(first.body, "gleaner_up 1\n");
    const CurlReply second = get("/metrics", "prometheus:secret");
    EXPECT_EQ(second.status, 200u) << second.error;
    const AuthStatistics after = statistics();
    EXPECT_EQ(after.bcrypt_checks - before.bcrypt_checks, 1u) << "the second request was let in from the cache";
    EXPECT_EQ(after.cache_hits - before.cache_hits, 1u);
  }
}

TEST_F(BasicAuthServerTest, BcryptFailuresAreRememberedAndAWrongUsernameCostsTheSame) {
  start(bcrypt_hash("secret"));
  expect_challenge(get("/metrics", "prometheus:wrong"));
  expect_challenge(get("/metrics", "prometheus:wrong"));
  EXPECT_EQ(statistics().bcrypt_checks, 1u) << "the same wrong guess again is refused from memory";
  EXPECT_EQ(statistics().remembered_refusals, 1u);
  expect_challenge(get("/metrics", "prometheus:other"));
  EXPECT_EQ(statistics().bcrypt_checks, 2u) << "a new guess is paid for in full";
  expect_challenge(get("/metrics", "root:secret"));
  EXPECT_EQ(statistics().bcrypt_checks, 3u) << "a wrong username is hashed too: its answer comes no sooner";
  expect_challenge(get("/metrics"));
  EXPECT_EQ(statistics().bcrypt_checks, 3u) << "no credentials, nothing to hash";
  EXPECT_EQ(statistics().cache_hits, 0u);
  EXPECT_EQ(get("/metrics", "prometheus:secret").status, 200u) << "the right password is still let in";
}

TEST_F(BasicAuthServerTest, AReloadOfTheSamePasswordFileKeepsWhatBcryptSaid) {
  const std::string hash = bcrypt_hash("secret");
  start(hash + "\n");
  ASSERT_EQ(get("/metrics", "prometheus:secret").status, 200u);
  expect_challenge(get("/metrics", "prometheus:wrong"));
  ASSERT_EQ(statistics().bcrypt_checks, 2u);

  server_->set_security(load_security(hash + "\n"));  // what a SIGHUP does, the file unchanged
  EXPECT_EQ(get("/metrics", "prometheus:secret").status, 200u);
  expect_challenge(get("/metrics", "prometheus:wrong"));
  EXPECT_EQ(statistics().bcrypt_checks, 2u) << "both verdicts outlived the reload";

  server_->set_security(load_security(bcrypt_hash("wrong") + "\n"));  // the password changed
  EXPECT_EQ(get("/metrics", "prometheus:wrong").status, 200u) << "refused before, right now";
  expect_challenge(get("/metrics", "prometheus:secret"));
  EXPECT_EQ(statistics().bcrypt_checks, 4u) << "a new password file: everything checked anew";
}

// The bound and the io thread's freedom, shown by counts rather than by
// timing: a flood is still being hashed when the cached scraper is served.
TEST_F(BasicAuthServerTest, FloodOfWrongPasswordsNeitherGrowsTheQueueNorStallsACachedScraper) {
  start(bcrypt_hash("secret", "$2b$", 12));                      // about 300 ms per check, longer under load
  ASSERT_EQ(get("/metrics", "prometheus:secret").status, 200u);  // now cached
  ASSERT_EQ(statistics().bcrypt_checks, 1u);

  constexpr int kGuesses = 40;
  std::vector<std::future<int>> guesses;
  for (int i = 0; i < kGuesses; ++i) {
    guesses.push_back(std::async(std::launch::async, [this] {
      const auto reply = gleaner::testing::http_request(server_->port(), "/metrics",
                                                        {std::string("Authorization: ") + kWrongAuthorization});
      return reply ? reply->status : 0;
    }));
  }
  std::size_t most_pending = 0;
  ASSERT_TRUE(eventually([&] {
    const AuthStatistics now = statistics();
    most_pending = std::max(most_pending, now.pending_checks);
    return now.refused_busy > 0;
  })) << "the guesses filled the queue";

  const CurlReply scrape = get("/metrics", "prometheus:secret");
  EXPECT_GT(statistics().pending_checks, 0u) << "the scrape was answered while guesses still waited for bcrypt";
  EXPECT_EQ(scrape.status, 200u) << scrape.error;
  EXPECT_EQ(scrape.body, "gleaner_up 1\n");

  int unauthorized = 0;
  int busy = 0;
  for (auto& guess : guesses) {
    const int status = guess.get();
    unauthorized += status == 401;
    busy += status == 503;
  }
  const AuthStatistics after = statistics();
  EXPECT_EQ(unauthorized + busy, kGuesses) << "every guess got an answer: 401, or 503 when the queue was full";
  EXPECT_EQ(static_cast<std::uint64_t>(busy), after.refused_busy);
  EXPECT_EQ(after.bcrypt_checks + after.remembered_refusals, 1u + unauthorized);
  EXPECT_GT(busy, 0);
  EXPECT_LE(most_pending, PendingPlaces::kPerClient) << "one client (127.0.0.1) holds its share at most";
  EXPECT_TRUE(eventually([&] { return statistics().pending_checks == 0; }));
  EXPECT_EQ(after.cache_hits, 1u);
}

// A client flooding with new guesses, each paid for in full, from another
// address (127.0.0.2, still the loopback): the first check of the scraper
// on 127.0.0.1 still finds a place.
TEST_F(BasicAuthServerTest, AFloodFromOneClientLeavesAPlaceForAnotherClientsFirstCheck) {
  start(bcrypt_hash("secret", "$2b$", 10));  // tens of ms per check, longer under load
  constexpr int kGuessers = 24;
  std::atomic<bool> stop{false};
  std::atomic<int> busy{0};
  std::vector<std::thread> guessers;
  for (int i = 0; i < kGuessers; ++i) {
    guessers.emplace_back([this, i, &stop, &busy] {
      for (int guess = 0; !stop; ++guess) {
        RawHttpConnection connection(server_->port(), 0x7f000002);
        const auto authorization =
            basic_authorization("prometheus:guess-" + std::to_string(i) + "-" + std::to_string(guess));
        const auto reply = connection.send_get("/metrics", authorization) ? connection.read_reply() : std::nullopt;
        busy += reply && reply->status == 503;
      }
    });
  }
  std::size_t most_pending = 0;
  ASSERT_TRUE(eventually([&] {
    most_pending = std::max(most_pending, statistics().pending_checks);
    return statistics().refused_busy > 0;
  })) << "the flood took its share of the places";
  const CurlReply scrape = get("/metrics", "prometheus:secret");
  most_pending = std::max(most_pending, statistics().pending_checks);
  const int busy_during_scrape = busy;
  stop = true;
  for (auto& guesser : guessers) guesser.join();
  EXPECT_EQ(scrape.status, 200u) << scrape.error;
  EXPECT_GT(busy_during_scrape, 0);
  EXPECT_LE(most_pending, PendingPlaces::kPerClient + 1) << "the flood's share, and the scraper's check";
  EXPECT_EQ(statistics().cache_hits, 0u) << "the scraper's first check was really paid for";
}

TEST_F(BasicAuthServerTest, StoppingDropsTheChecksStillWaiting) {
  start(bcrypt_hash("secret", "$2b$", 12));
  constexpr int kGuesses = 12;
  std::vector<std::future<void>> guesses;
  for (int i = 0; i < kGuesses; ++i) {
    guesses.push_back(std::async(std::launch::async, [this] {
      gleaner::testing::http_request(server_->port(), "/", {std::string("Authorization: ") + kWrongAuthorization});
    }));
  }
  ASSERT_TRUE(eventually([&] {
    const AuthStatistics now = statistics();
    // Every guess is in: one client's share waits or runs, the rest were
    // turned away (or refused from memory, once the first check ended).
    return now.pending_checks + now.bcrypt_checks + now.refused_busy + now.remembered_refusals >= kGuesses;
  }));
  ASSERT_GT(statistics().pending_checks, 1u) << "checks still waiting, to be dropped";
  const std::uint64_t hashed_before_stop = statistics().bcrypt_checks;
  server_->stop();
  EXPECT_TRUE(eventually([&] { return server_->server().connection_count() == 0; }));
  for (auto& guess : guesses) guess.get();
  // The check running at the stop ends (a bcrypt of cost 12 takes a while,
  // longer under the sanitizers, and may outlast the connections); one more
  // may have begun while stop() was on its way to the io thread. The rest
  // were dropped.
  EXPECT_TRUE(eventually([&] { return statistics().pending_checks == 0; }));
  EXPECT_LE(statistics().bcrypt_checks, hashed_before_stop + 2);
}

TEST_F(BasicAuthServerTest, NewCredentialsApplyFromTheNextRequestOnAnOpenConnection) {
  start("secret\n");
  const int port = server_->port();
  RawHttpConnection kept(port);
  ASSERT_TRUE(kept.send_get("/", kRightAuthorization));
  ASSERT_EQ(kept.read_reply().value_or(gleaner::testing::RawReply{}).status, 200u);

  server_->set_security(load_security("renewed\n"));

  ASSERT_TRUE(kept.send_get("/", kRightAuthorization));
  EXPECT_EQ(kept.read_reply().value_or(gleaner::testing::RawReply{}).status, 401u) << "the old password";
  ASSERT_TRUE(kept.send_get("/", kRenewedAuthorization));
  EXPECT_EQ(kept.read_reply().value_or(gleaner::testing::RawReply{}).status, 200u) << "the new one";
  EXPECT_EQ(get("/", "prometheus:renewed").status, 200u) << "a new connection";

  server_->set_security(nullptr);
  ASSERT_TRUE(kept.send_get("/"));
  EXPECT_EQ(kept.read_reply().value_or(gleaner::testing::RawReply{}).status, 200u) << "auth turned off";
  EXPECT_EQ(server_->port(), port);
}

}  // namespace
}  // namespace gleaner::http

namespace gleaner::http {
namespace {

// basic_auth_users: several users, each with a bcrypt hash.
TEST(BasicAuthUsersTest, EachUserWithItsOwnPasswordAndNoOneElse) {
  const std::string alice = bcrypt_hash("alice-pass");
  const std::string bob = bcrypt_hash("bob-pass", "$2y$", 5);
  const BasicAuthCredentialsLoad loaded = BasicAuthCredentials::from_users({{"alice", alice}, {"bob", bob}});
  ASSERT_EQ(loaded.error, "");
  const BasicAuthCredentials& users = *loaded.credentials;
  EXPECT_EQ(users.check_quickly({"alice", "alice-pass"}), BasicAuthCredentials::QuickVerdict::needs_bcrypt);
  EXPECT_TRUE(users.check_with_bcrypt({"alice", "alice-pass"}));
  EXPECT_TRUE(users.check_with_bcrypt({"bob", "bob-pass"}));
  EXPECT_FALSE(users.check_with_bcrypt({"alice", "bob-pass"}));
  EXPECT_FALSE(users.check_with_bcrypt({"bob", "alice-pass"}));
  EXPECT_FALSE(users.check_with_bcrypt({"carol", "alice-pass"}));
  EXPECT_FALSE(users.check_with_bcrypt({"", ""}));
}

TEST(BasicAuthUsersTest, TheSameUsersInAnyOrderHaveTheSameFingerprint) {
  const std::string alice = bcrypt_hash("a");
  const std::string bob = bcrypt_hash("b");
  const auto one = BasicAuthCredentials::from_users({{"alice", alice}, {"bob", bob}});
  const auto other = BasicAuthCredentials::from_users({{"bob", bob}, {"alice", alice}});
  const auto fewer = BasicAuthCredentials::from_users({{"alice", alice}});
  ASSERT_TRUE(one.credentials && other.credentials && fewer.credentials);
  EXPECT_EQ(one.credentials->fingerprint(), other.credentials->fingerprint());
  EXPECT_NE(one.credentials->fingerprint(), fewer.credentials->fingerprint());
}

TEST(BasicAuthUsersTest, RefusesWhatIsNotABcryptHashOrAUsername) {
  EXPECT_EQ(BasicAuthCredentials::from_users({{"alice", "plain"}}).error_field, "basic_auth_users.alice");
  EXPECT_EQ(BasicAuthCredentials::from_users({{"a:b", bcrypt_hash("x")}}).error_field, "basic_auth_users.a:b");
}

}  // namespace
}  // namespace gleaner::http
