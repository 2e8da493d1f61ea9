// A flood of wrong passwords against the real binary with a bcrypt password
// file: 24 connections guessing as fast as they are answered, from another
// client address (127.0.0.2, still the loopback), keep the bcrypt worker
// saturated right after start and right after a SIGHUP; meanwhile a scraper
// on 127.0.0.1 with the right password must keep getting its metrics.
//
// Counts rather than tight timings: a scrape counts as served when it gets
// 200 within one second, a bound far above its normal cost even on a loaded
// machine; without the fairness and the caches that survive a reload, most
// scrapes get 503 instead, so the ratio tells the two apart.

#include <arpa/inet.h>
#include <gtest/gtest.h>
#include <signal.h>
#include <stdlib.h>
#include <sys/stat.h>

#include <atomic>
#include <chrono>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <string>
#include <thread>
#include <vector>

#include "tests/support/basic_authorization.h"
#include "tests/support/daemon_process.h"
#include "tests/support/raw_http_connection.h"
#include "tests/support/scratch_dir.h"

namespace gleaner::testing {
namespace {

using Clock = std::chrono::steady_clock;

// bcrypt of "s3cret-pass" at cost 6 (a few milliseconds a check): cheap
// enough for a test, dear enough that 24 guessers keep the worker busy.
constexpr const char* kPasswordHash = "$2b$06$iLrfxsFYxZtLVcdh5y/AZOcMMAoFNf3SBpTht1aKYUO7qhnlgtOJW";
constexpr int kGuessers = 24;
constexpr auto kPhase = std::chrono::seconds(10);
constexpr auto kScrapeInterval = std::chrono::milliseconds(100);
constexpr auto kServedWithin = std::chrono::seconds(1);
constexpr in_addr_t kGuesserAddress = 0x7f000002;  // 127.0.0.2

// Guessers that each send a new wrong password as soon as the last one is
// answered, on a kept-alive connection (a new one when the server closes it).
class WrongPasswordFlood {
 public:
  explicit WrongPasswordFlood(int port) {
    for (int i = 0; i < kGuessers; ++i) {
      guessers_.emplace_back([this, port, i] {
        int guess = 0;
        while (!stop_) {
          RawHttpConnection connection(port, kGuesserAddress);
          while (!stop_ && connection.connected()) {
            const auto authorization =
                basic_authorization("prometheus:guess-" + std::to_string(i) + "-" + std::to_string(guess++));
            if (!connection.send_get("/metrics", authorization)) break;
            const auto reply = connection.read_reply();
            if (!reply) break;
            (reply->status == 401 ? unauthorized_ : busy_)++;
            if (!reply->keep_alive) break;
          }
        }
      });
    }
  }
  ~WrongPasswordFlood() {
    stop_ = true;
    for (auto& guesser : guessers_) guesser.join();
  }
  WrongPasswordFlood(const WrongPasswordFlood&) = delete;
  WrongPasswordFlood& operator=(const WrongPasswordFlood&) = delete;

  int unauthorized() const { return unauthorized_; }
  int busy() const { return busy_; }  // 503: the checks pending were at their bound

 private:
  std::atomic<bool> stop_{false};
  std::atomic<int> unauthorized_{0};
  std::atomic<int> busy_{0};
  std::vector<std::thread> guessers_;
};

struct ScrapeRecord {
  int scrapes = 0;
  int served = 0;  // 200 within kServedWithin
  int busy = 0;    // 503
};

// Scrapes with the right password every kScrapeInterval for kPhase, each on a
// new connection, as a scraper whose earlier connection ended would.
ScrapeRecord scrape_for_a_phase(int port) {
  const auto authorization = basic_authorization("prometheus:s3cret-pass");
  ScrapeRecord record;
  const auto end = Clock::now() + kPhase;
  while (Clock::now() < end) {
    const auto started = Clock::now();
    RawHttpConnection connection(port);
    const bool sent = connection.send_get("/metrics", authorization);
    const auto reply = sent ? connection.read_reply() : std::nullopt;
    const auto took = Clock::now() - started;
    ++record.scrapes;
    record.served += reply && reply->status == 200 && took <= kServedWithin;
    record.busy += reply && reply->status == 503;
    std::this_thread::sleep_until(started + kScrapeInterval);
  }
  return record;
}

class AuthFloodTest : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = scratch_.path().string();
    std::ofstream(dir_ + "/web.pass") << kPasswordHash << "\n";
    ::chmod((dir_ + "/web.pass").c_str(), 0600);
    std::ofstream(dir_ + "/gleaner.yaml")
        << "web:\n  basic_auth: {username: prometheus, password_file: web.pass}\ncollectors: []\n";
  }
  void TearDown() override {
    daemon_.reset();
  }

  ScratchDir scratch_;  // removed with its files after the test
  std::string dir_;
  std::unique_ptr<DaemonProcess> daemon_;
};

TEST_F(AuthFloodTest, RightPasswordIsServedWhileWrongOnesPourInAfterStartAndAfterReload) {
  daemon_ = std::make_unique<DaemonProcess>(
      std::vector<std::string>{"--config", dir_ + "/gleaner.yaml", "--listen", "127.0.0.1:0"});
  const int port = daemon_->port();
  ASSERT_GT(port, 0) << daemon_->log();

  WrongPasswordFlood flood(port);
  // The flood fills the pending checks before the scraper's first request.
  ASSERT_TRUE(eventually([&] { return flood.busy() > 0; })) << "the guesses never saturated the bcrypt worker";
  const ScrapeRecord after_start = scrape_for_a_phase(port);

  const auto reload_count = [&] {
    const std::string log = daemon_->log();
    std::size_t count = 0;
    for (auto at = log.find("reloaded "); at != std::string::npos; at = log.find("reloaded ", at + 1)) ++count;
    return count;
  };
  const std::size_t reloads = reload_count();
  const int busy_before_reload = flood.busy();
  daemon_->signal(SIGHUP);  // the same configuration, the same password file
  ASSERT_TRUE(eventually([&] { return reload_count() > reloads; })) << daemon_->log();
  const ScrapeRecord after_reload = scrape_for_a_phase(port);

  EXPECT_GT(flood.busy(), busy_before_reload) << "the worker was still saturated after the reload";
  EXPECT_GT(flood.unauthorized(), 0);
  std::printf("the flood, both phases: %d guesses answered 401, %d answered 503\n", flood.unauthorized(), flood.busy());
  for (const auto& [phase, record] : {std::pair{"after start", after_start}, std::pair{"after reload", after_reload}}) {
    SCOPED_TRACE(phase);
    std::printf("%s: %d of %d scrapes served within 1 s, %d got 503\n", phase, record.served, record.scrapes,
                record.busy);
    EXPECT_GE(record.scrapes, 20) << "too few scrapes to judge";
    EXPECT_GE(record.served * 100, record.scrapes * 99);
  }
}

}  // namespace
}  // namespace gleaner::testing
