// The exposition as the real binary sends it (README "How it works", HTTP):
// the collectors' part goes out as the text shared by every scrape, not a
// copy of it. Whatever the format and encoding, the body is what its
// Content-Length says and the same series; and a client reading a large
// exposition slowly while its collector publishes again still gets the
// whole exposition of the run it asked during, never a mix of two.

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <chrono>
#include <map>
#include <optional>
#include <set>
#include <sstream>
#include <string>

#include "tests/support/daemon_fixture.h"
#include "tests/support/openmetrics_parser.h"
#include "tests/support/promtool.h"
#include "tests/support/tcp_client.h"

namespace gleaner::testing {
namespace {

using ::testing::EndsWith;
using ::testing::HasSubstr;

constexpr const char* kOpenMetrics = "Accept: application/openmetrics-text;version=1.0.0";

// Every collector's families come before gleaner's own, whose values (CPU
// time, open files) change from one scrape to the next.
std::string collectors_part(const std::string& exposition) {
  return exposition.substr(0, exposition.find("# HELP gleaner_collector_up "));
}

// A collector printing `count` series of one family, all with the value
// given as the script's first argument; each series also carries a label
// `note` of `padding` bytes, which makes megabytes of text out of few
// series (a run's CPU grows with its series, not with its bytes).
std::string series_script(int count, int padding = 0) {
  return "#!/bin/sh\n"
         "awk -v value=\"$1\" -v count=" + std::to_string(count) + " -v padding=" + std::to_string(padding) +
         " 'BEGIN {\n"
         "  note = \"\"\n"
         "  for (i = 0; i < padding; i++) note = note \"x\"\n"
         "  print \"# HELP body_value A value, the same in every series of one run.\"\n"
         "  print \"# TYPE body_value gauge\"\n"
         "  for (i = 0; i < count; i++) printf \"body_value{device=\\\"/dev/sd%d\\\",mountpoint=\\\"/srv/data/%d\\\",note=\\\"%s\\\"} %s\\n\", i, i, note, value\n"
         "}'\n";
}

class ScrapeBody : public DaemonFixture {};

TEST_F(ScrapeBody, EveryFormatAndEncodingSendsTheLengthItSaysAndTheSameSeries) {
  const std::string script = write("series.sh", series_script(20000), true);
  start("limits: {max_series: 1000000}\ncollectors:\n  - {name: static, plugin: exec, interval: 1h, max_output: 64MiB, command: [" + script + ", 42]}\n");
  scrape_until([](const std::string& body) { return has(body, "gleaner_collector_series{collector=\"static\"} 20000"); });

  // http_request refuses an answer whose body is not as long as its
  // Content-Length says.
  const int port = daemon_->port();
  const auto text = http_request(port, "/metrics");
  const auto text_gzip = http_request(port, "/metrics", {"Accept-Encoding: gzip"});
  const auto om = http_request(port, "/metrics", {kOpenMetrics});
  const auto om_gzip = http_request(port, "/metrics", {kOpenMetrics, "Accept-Encoding: gzip"});
  ASSERT_TRUE(text && text_gzip && om && om_gzip) << "an answer whose length is not its Content-Length";
  for (const auto* reply : {&*text, &*text_gzip, &*om, &*om_gzip}) EXPECT_EQ(reply->status, 200);
  EXPECT_GT(text->body.size(), 1'000'000u);
  EXPECT_EQ(text_gzip->headers.at("content-encoding"), "gzip");
  EXPECT_EQ(om_gzip->headers.at("content-encoding"), "gzip");
  EXPECT_THAT(om->headers.at("content-type"), HasSubstr("application/openmetrics-text"));

  const auto text_unzipped = gunzip(text_gzip->body);
  const auto om_unzipped = gunzip(om_gzip->body);
  ASSERT_TRUE(text_unzipped && om_unzipped);
  EXPECT_EQ(collectors_part(*text_unzipped), collectors_part(text->body));
  EXPECT_EQ(collectors_part(*om_unzipped), collectors_part(om->body));
  EXPECT_THAT(om->body, EndsWith("# EOF\n"));
  EXPECT_THAT(*om_unzipped, EndsWith("# EOF\n"));

  const auto verdict = promtool_check_metrics(text->body);
  EXPECT_TRUE(verdict.valid) << verdict.output;
  if (openmetrics_parser_installed()) {
    const auto om_verdict = openmetrics_check(*om_unzipped);
    EXPECT_TRUE(om_verdict.valid) << om_verdict.error;
  }

  // HEAD: the headers of GET, a Content-Length of the same size (gleaner's
  // own values may take a digit more or less), no body.
  for (const bool gzip : {false, true}) {
    std::vector<std::string> headers;
    if (gzip) headers.push_back("Accept-Encoding: gzip");
    const auto head = http_request(port, "/metrics", headers, "HEAD");
    ASSERT_TRUE(head);
    EXPECT_EQ(head->status, 200);
    EXPECT_TRUE(head->body.empty());
    const double get_length = static_cast<double>((gzip ? text_gzip : text)->body.size());
    EXPECT_NEAR(std::stod(head->headers.at("content-length")), get_length, 200);
  }
}

TEST_F(ScrapeBody, ASlowClientGetsTheWholeExpositionOfTheRunItAskedDuringWhileItsCollectorPublishes) {
  // About 5 MB, far more than the socket buffers hold, in few enough series
  // that a run costs the daemon little: the waits below do not depend on
  // how loaded the machine is as much.
  constexpr int kSeries = 8000;
  const std::string script = write("series.sh", series_script(kSeries, 600), true);
  // Each run prints the time of its start in every series.
  start("limits: {max_series: 1000000}\ncollectors:\n  - {name: churn, plugin: exec, interval: 1s, max_output: 64MiB, shell: '" + script + " $(date +%s%N)'}\n");
  // On a loaded machine the waits below take a minute's patience, and
  // scrapes of 5 MB every 20 ms would take the CPU the daemon needs, so they
  // are spaced. Nothing here is timed: the promise is what the answer holds,
  // and the answer must be read within the server's write timeout (30 s).
  constexpr auto kLongPatience = std::chrono::seconds(60);
  constexpr auto kScrapeEvery = std::chrono::milliseconds(250);
  scrape_until(
      [&](const std::string& body) {
        return has(body, "gleaner_collector_series{collector=\"churn\"} " + std::to_string(kSeries));
      },
      kLongPatience, kScrapeEvery);

  // A client with a small receive window: the server can send it only a
  // few KiB until it reads.
  TcpClient slow(daemon_->port(), 4096);
  ASSERT_TRUE(slow.send_all("GET /metrics HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\r\n"));
  // The first bytes: the answer is made, its exposition chosen.
  ASSERT_TRUE(eventually([&] { return slow.receive_a_little(); })) << "no answer";
  // A run published after that, while the slow client has not read its
  // answer: the last success's time changes only where the store does.
  const auto last_success = [](const std::string& body) {
    return value_of(body, "gleaner_collector_last_success_timestamp_seconds{collector=\"churn\"}");
  };
  const auto published_then = last_success(scrape());
  ASSERT_TRUE(published_then);
  scrape_until([&](const std::string& body) { return last_success(body).value_or(*published_then) != *published_then; },
               kLongPatience, kScrapeEvery);
  const std::size_t read_while_publishing = slow.received().size();

  const std::string& raw = slow.read_until_closed();
  const auto header_end = raw.find("\r\n\r\n");
  ASSERT_NE(header_end, std::string::npos);
  const std::string body = raw.substr(header_end + 4);
  const auto length_at = raw.find("Content-Length: ");
  ASSERT_LT(length_at, header_end);
  EXPECT_EQ(std::stoul(raw.substr(length_at + 16)), body.size());
  EXPECT_LT(read_while_publishing, raw.size()) << "the whole answer arrived before the publishes: nothing tested";

  // Every series, each once, all with the value of one run.
  std::set<std::string> values;
  std::size_t series = 0;
  std::istringstream lines(body);
  for (std::string line; std::getline(lines, line);) {
    if (line.rfind("body_value{", 0) != 0) continue;
    ++series;
    values.insert(line.substr(line.rfind(' ') + 1));
  }
  EXPECT_EQ(series, std::size_t{kSeries});
  EXPECT_EQ(values.size(), 1u) << "series of different runs in one answer";
  const auto verdict = promtool_check_metrics(body);
  EXPECT_TRUE(verdict.valid) << verdict.output;
}

}  // namespace
}  // namespace gleaner::testing
