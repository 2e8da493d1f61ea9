// Hostile HTTP clients against the real binary, on loopback: idle
// connections by the hundred, slowloris, oversized headers, malformed
// request lines, clients that ask and never read. Throughout each test a
// well-behaved scraper asks for /metrics every 100 ms: each of its scrapes
// must succeed within 2 s, and the daemon's descriptors must stay within
// its connection limit; afterwards they come back to where they started.
//
//   ctest --test-dir build -R http_clients_test --output-on-failure

#include <gtest/gtest.h>

#include <chrono>
#include <cstdio>
#include <memory>
#include <string>
#include <vector>

#include "tests/support/background_scraper.h"
#include "tests/support/daemon_fixture.h"
#include "tests/support/process_census.h"
#include "tests/support/tcp_client.h"

namespace gleaner::testing {
namespace {

using namespace std::chrono_literals;

// The daemon's built-in HTTP limits (not configurable from YAML).
constexpr int kMaxConnections = 256;
constexpr auto kHeaderTimeout = 10s;
// Descriptors the daemon may hold beyond one per connection: a connection
// being turned away, a command's pipes.
constexpr int kFdSlack = 8;

// About 2 MB of exposition (2000 series with 1000-byte label values): far
// more than a client's small receive window and the kernel's buffers take,
// so a client that never reads leaves the daemon with a write it cannot finish.
constexpr char kBigExpositionScript[] =
    "#!/bin/sh\n"
    "exec awk 'BEGIN { pad = sprintf(\"%1000s\", \"\"); gsub(/ /, \"p\", pad);\n"
    "  for (i = 0; i < 2000; i++) printf \"big_series{pad=\\\"%s\\\",i=\\\"%d\\\"} %d\\n\", pad, i, i }'\n";

const std::string kRequest = "GET /metrics HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n";

class HostileClients : public DaemonFixture {
 protected:
  void SetUp() override {
    DaemonFixture::SetUp();
    const std::string script = write("big.sh", kBigExpositionScript, true);
    start("collectors:\n  - {name: big, plugin: exec, interval: 1h, max_output: 16MiB, command: [" + script + "]}\n");
    ASSERT_GT(port(), 0);
    ASSERT_TRUE(eventually([&] { return timed_scrape(port()).body.size() > 2'000'000; })) << daemon_->log();
    start_fds_ = open_fd_count(daemon_->pid());
    scraper_ = std::make_unique<BackgroundScraper>(port(), daemon_->pid(), 100ms);
  }

  void TearDown() override {
    scraper_.reset();  // before the daemon goes
    DaemonFixture::TearDown();
  }

  int port() { return daemon_->port(); }

  // Lets the scraper work for a while (at least `scrapes` more scrapes).
  void keep_scraping(std::size_t scrapes) {
    const std::size_t target = scraper_->scrapes() + scrapes;
    eventually([&] { return scraper_->scrapes() >= target; });
  }

  // Every scrape succeeded within its deadline, and the daemon never held
  // more descriptors than its connection limit allows.
  void expect_scrapes_unharmed(const std::string& what) {
    scraper_->stop();
    std::printf("%s: %s; daemon fds: %d at start, peak %d (bound %d)\n", what.c_str(),
                scraper_->latencies().summary("scrapes").c_str(), start_fds_, scraper_->max_fds(), fd_bound());
    std::fflush(stdout);
    EXPECT_TRUE(scraper_->failures().empty())
        << scraper_->failures().size() << " of " << scraper_->scrapes() << " scrapes failed"
        << " (first: " << scraper_->failures().front() << "; last: " << scraper_->failures().back() << ")";
    EXPECT_LE(scraper_->max_fds(), fd_bound());
  }

  int fd_bound() const { return kMaxConnections + start_fds_ + kFdSlack; }

  // Once the clients are gone, the daemon lets go of their descriptors.
  void expect_fds_back_to_start() {
    int fds = 0;
    EXPECT_TRUE(eventually([&] { return (fds = open_fd_count(daemon_->pid())) <= start_fds_ + 2; }))
        << "the daemon still holds " << fds << " descriptors, " << start_fds_ << " at start";
  }

  std::unique_ptr<BackgroundScraper> scraper_;
  int start_fds_ = 0;
};

// Whether the server has ended the connection, by now.
bool ended(TcpClient& client) {
  client.poll_received();
  return client.ended_by_server();
}

bool all_ended(std::vector<TcpClient>& clients) {
  bool all = true;
  for (auto& client : clients) all = ended(client) && all;
  return all;
}

std::vector<TcpClient> connect_many(int port, int count, int receive_buffer = 0) {
  std::vector<TcpClient> clients;
  clients.reserve(static_cast<std::size_t>(count));
  for (int i = 0; i < count; ++i) clients.emplace_back(port, receive_buffer);
  return clients;
}

// Slowloris: a request header that never ends, one byte at a time.
class Slowloris {
 public:
  Slowloris(int port, int count) : clients_(connect_many(port, count)) {
    for (auto& client : clients_) client.send_all("GET /metrics HTTP/1.1\r\nHost: 127.0.0.1\r\nX-Slow: ");
  }
  // One more byte from each, unless the server has ended the connection.
  void trickle() {
    for (auto& client : clients_) {
      if (!ended(client)) client.send_all("a", 1s);
    }
  }
  std::vector<TcpClient>& clients() { return clients_; }

 private:
  std::vector<TcpClient> clients_;
};

TEST_F(HostileClients, FiveHundredIdleConnectionsAtOnce) {
  auto idle = connect_many(port(), 500);
  keep_scraping(30);
  EXPECT_LE(open_fd_count(daemon_->pid()), fd_bound());
  // Past the limit, the connections that have waited longest without a
  // request give their place to new ones; the rest are dropped when their
  // header deadline passes.
  EXPECT_TRUE(eventually([&] { return all_ended(idle); }, kHeaderTimeout + 10s));
  keep_scraping(10);
  // Idle clients cannot hold every place: a scrape takes the place of the
  // connection that has waited longest without a request.
  expect_scrapes_unharmed("500 idle connections");
  idle.clear();
  expect_fds_back_to_start();
}

TEST_F(HostileClients, SlowlorisClientsAreDroppedAtTheHeaderDeadline) {
  Slowloris slow(port(), 20);
  const auto start = std::chrono::steady_clock::now();
  const bool dropped = eventually(
      [&] {
        slow.trickle();
        return all_ended(slow.clients());
      },
      kHeaderTimeout + 10s);
  const double after = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  std::printf("20 slowloris clients dropped by the daemon after %.1f s\n", after);
  EXPECT_TRUE(dropped) << "slowloris connections still open after " << after << " s";
  expect_scrapes_unharmed("slowloris");
  slow.clients().clear();
  expect_fds_back_to_start();
}

TEST_F(HostileClients, OversizedHeadersAndMalformedRequestLinesAreRefused) {
  for (int i = 0; i < 5; ++i) {
    TcpClient huge(port());
    // The daemon may stop reading and close before the whole megabyte is sent.
    huge.send_all("GET /metrics HTTP/1.1\r\nHost: 127.0.0.1\r\nX-Huge: " + std::string(1'000'000, 'h') + "\r\n\r\n");
    huge.read_until_closed();
    EXPECT_TRUE(huge.status() == 431 || (huge.status() == 0 && huge.ended_by_server()))
        << "a 1 MB header got: " << huge.poll_received().substr(0, 80);

    TcpClient malformed(port());
    malformed.send_all("THIS IS NOT HTTP\r\n\r\n");
    malformed.read_until_closed();
    EXPECT_EQ(malformed.status(), 400) << malformed.poll_received().substr(0, 80);
  }
  keep_scraping(10);
  expect_scrapes_unharmed("oversized and malformed requests");
  expect_fds_back_to_start();
}

TEST_F(HostileClients, ClientsThatNeverReadTheirResponse) {
  auto readers = connect_many(port(), 20, 4096);
  for (auto& client : readers) client.send_all(kRequest);
  keep_scraping(30);
  // Still open: the daemon waits for them (up to its write deadline)
  // without letting them hold up anyone else.
  EXPECT_FALSE(all_ended(readers));
  expect_scrapes_unharmed("clients that never read");
  readers.clear();
  expect_fds_back_to_start();
}

TEST_F(HostileClients, EveryKindAtOnceWithinTheConnectionLimit) {
  auto idle = connect_many(port(), 180);
  Slowloris slow(port(), 20);
  auto readers = connect_many(port(), 20, 4096);
  for (auto& client : readers) client.send_all(kRequest);
  std::vector<TcpClient> refused;
  for (int i = 0; i < 5; ++i) {
    refused.emplace_back(port());
    refused.back().send_all("GET /metrics HTTP/1.1\r\nX-Huge: " + std::string(1'000'000, 'h') + "\r\n\r\n");
    refused.emplace_back(port());
    refused.back().send_all("THIS IS NOT HTTP\r\n\r\n");
  }
  // Until the daemon has dropped the idle and slowloris connections itself.
  EXPECT_TRUE(eventually(
      [&] {
        slow.trickle();
        return all_ended(idle) && all_ended(slow.clients()) && all_ended(refused);
      },
      kHeaderTimeout + 10s));
  expect_scrapes_unharmed("every kind at once");
  idle.clear();
  slow.clients().clear();
  readers.clear();
  refused.clear();
  expect_fds_back_to_start();
}

}  // namespace
}  // namespace gleaner::testing
