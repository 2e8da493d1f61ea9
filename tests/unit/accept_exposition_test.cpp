// Which exposition format an Accept field picks (README "What it serves"):
// the headers Prometheus sends, weights, wildcards, parameters, and
// fields that do not parse.

#include "daemon/http/accept_exposition.h"

#include <gtest/gtest.h>

#include <cstring>
#include <memory>
#include <string>
#include <utility>
#include <vector>

namespace gleaner::http {
namespace {

std::string chosen(std::string_view accept) { return negotiate_exposition(accept).content_type; }

constexpr std::string_view kText = kPrometheusTextContentType;
constexpr std::string_view kOpenMetrics = kOpenMetrics1ContentType;
constexpr std::string_view kOpenMetricsOld = kOpenMetrics001ContentType;

// Types and parameter names are compared without case, within the value:
// here the value sits in a buffer of exactly its size (as a fuzzer gives
// it), so that under AddressSanitizer a read past its end is caught. Boost
// 1.81's beast::iequals, used before, read one byte past the end when two
// strings differed only in case at their end (found by fuzz_http_headers).
TEST(AcceptExposition, CaseIsIgnoredWithoutReadingPastTheValue) {
  for (const std::string value : {"text/plAin", "TEXT/PLAIN;Q=0.5", "application/openmetrics-TEXT;VERSION=1.0.0"}) {
    const auto exact = std::make_unique<char[]>(value.size());
    std::memcpy(exact.get(), value.data(), value.size());
    const auto answer = negotiate_exposition(std::string_view(exact.get(), value.size()));
    EXPECT_EQ(answer.format, value.rfind("app", 0) == 0 ? ExpositionFormat::openmetrics : ExpositionFormat::prometheus_text)
        << value;
  }
}

TEST(AcceptExposition, PrometheusTwoGetsOpenMetricsOne) {
  EXPECT_EQ(chosen("application/openmetrics-text;version=1.0.0,application/openmetrics-text;version=0.0.1;q=0.75,"
                   "text/plain;version=0.0.4;q=0.5,*/*;q=0.1"),
            kOpenMetrics);
  EXPECT_EQ(negotiate_exposition("application/openmetrics-text;version=1.0.0").format, ExpositionFormat::openmetrics);
}

TEST(AcceptExposition, PrometheusThreeWithEscapingGetsOpenMetricsOneSayingTheScheme) {
  for (std::string_view escaping : {"allow-utf-8", "underscores", "dots", "values"}) {
    const std::string accept = "application/openmetrics-text;version=1.0.0;escaping=" + std::string(escaping) +
                               ";q=0.5,application/openmetrics-text;version=0.0.1;q=0.4,text/plain;version=1.0.0;"
                               "escaping=" + std::string(escaping) + ";q=0.3,text/plain;version=0.0.4;q=0.2,*/*;q=0.1";
    EXPECT_EQ(chosen(accept), std::string(kOpenMetrics) + "; escaping=" + std::string(escaping)) << accept;
    EXPECT_EQ(negotiate_exposition(accept).format, ExpositionFormat::openmetrics);
  }
}

TEST(AcceptExposition, EscapingIsSaidAsClientGolangSaysIt) {
  // Asked of the text format too.
  EXPECT_EQ(chosen("text/plain;version=0.0.4;escaping=underscores"), std::string(kText) + "; escaping=underscores");
  // Not asked, not said.
  EXPECT_EQ(chosen("text/plain;version=0.0.4"), kText);
  // A scheme Go does not know is ignored; names are compared exactly.
  EXPECT_EQ(chosen("application/openmetrics-text;version=1.0.0;escaping=slashes"), kOpenMetrics);
  EXPECT_EQ(chosen("application/openmetrics-text;version=1.0.0;escaping=Dots"), kOpenMetrics);
  EXPECT_EQ(chosen("application/openmetrics-text;version=1.0.0;escaping=\"dots\""),
            std::string(kOpenMetrics) + "; escaping=dots");
  // An element preferred to the one that decides, which gleaner cannot
  // answer, still gives its scheme, as Go keeps the last one it read.
  EXPECT_EQ(chosen("text/plain;version=1.0.0;escaping=allow-utf-8,text/plain;version=0.0.4;q=0.5"),
            std::string(kText) + "; escaping=allow-utf-8");
  EXPECT_EQ(chosen("application/openmetrics-text;version=1.0.0;escaping=values;q=0.5,text/plain;version=1.0.0;"
                   "escaping=dots"),
            std::string(kOpenMetrics) + "; escaping=values");
  // A later one does not; nor one refused with q=0.
  EXPECT_EQ(chosen("application/openmetrics-text;version=1.0.0,text/plain;escaping=dots;q=0.5"), kOpenMetrics);
  EXPECT_EQ(chosen("text/plain;version=1.0.0;escaping=dots;q=0,application/openmetrics-text;version=1.0.0;q=0.5"),
            kOpenMetrics);
  // Nothing gleaner writes: the default format, with the last scheme read.
  EXPECT_EQ(chosen("application/json;escaping=dots"), std::string(kText) + "; escaping=dots");
}

TEST(AcceptExposition, PrometheusTextOnlyScrapeGetsText) {
  // scrape_protocols: [PrometheusText0.0.4]
  EXPECT_EQ(chosen("text/plain;version=0.0.4;q=0.5,*/*;q=0.1"), kText);
  EXPECT_EQ(negotiate_exposition("text/plain;version=0.0.4").format, ExpositionFormat::prometheus_text);
}

TEST(AcceptExposition, NoAcceptOrAnythingGetsText) {
  EXPECT_EQ(chosen(""), kText);
  EXPECT_EQ(chosen("*/*"), kText);
  EXPECT_EQ(chosen("text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8"), kText);  // a browser
  EXPECT_EQ(chosen("application/*"), kText);
  EXPECT_EQ(chosen("text/plain"), kText);
}

TEST(AcceptExposition, TheHighestWeightWins) {
  EXPECT_EQ(chosen("text/plain;version=0.0.4;q=0.9,application/openmetrics-text;version=1.0.0;q=0.8"), kText);
  EXPECT_EQ(chosen("text/plain;version=0.0.4;q=0.8,application/openmetrics-text;version=1.0.0;q=0.9"), kOpenMetrics);
  EXPECT_EQ(chosen("text/plain;q=0.001,application/openmetrics-text;q=0.002"), kOpenMetricsOld);
  EXPECT_EQ(chosen("text/plain;version=0.0.4;q=0.5,application/openmetrics-text;version=1.0.0"), kOpenMetrics);
}

TEST(AcceptExposition, EqualWeightsGoByTheOrderSentAsClientGolangDoes) {
  EXPECT_EQ(chosen("application/openmetrics-text;version=1.0.0,text/plain;version=0.0.4"), kOpenMetrics);
  EXPECT_EQ(chosen("text/plain;version=0.0.4,application/openmetrics-text;version=1.0.0"), kText);
  EXPECT_EQ(chosen("text/plain;q=0.5,application/openmetrics-text;q=0.5"), kText);
  // Wildcards never pick a format, whatever their place and weight.
  EXPECT_EQ(chosen("*/*,application/openmetrics-text;version=1.0.0;q=0.2"), kOpenMetrics);
  EXPECT_EQ(chosen("application/*,application/openmetrics-text;version=1.0.0;q=0.2"), kOpenMetrics);
}

TEST(AcceptExposition, TheVersionAskedIsTheVersionAnswered) {
  EXPECT_EQ(chosen("application/openmetrics-text;version=0.0.1"), kOpenMetricsOld);
  EXPECT_EQ(chosen("application/openmetrics-text"), kOpenMetricsOld);
  EXPECT_EQ(chosen("application/openmetrics-text;version=0.0.1;q=0.9,application/openmetrics-text;version=1.0.0"),
            kOpenMetrics);
}

TEST(AcceptExposition, VersionsGleanerDoesNotWriteAreSkipped) {
  EXPECT_EQ(chosen("application/openmetrics-text;version=2.0.0"), kText);
  EXPECT_EQ(chosen("application/openmetrics-text;version=2.0.0,application/openmetrics-text;version=1.0.0;q=0.1"),
            kOpenMetrics);
  EXPECT_EQ(chosen("text/plain;version=1.0.0,application/openmetrics-text;version=1.0.0;q=0.3"), kOpenMetrics);
  EXPECT_EQ(chosen("application/vnd.google.protobuf;proto=io.prometheus.client.MetricFamily;encoding=delimited,"
                   "application/openmetrics-text;version=1.0.0;q=0.5"),
            kOpenMetrics);
}

TEST(AcceptExposition, ZeroWeightRefuses) {
  EXPECT_EQ(chosen("application/openmetrics-text;version=1.0.0;q=0"), kText);
  EXPECT_EQ(chosen("application/openmetrics-text;version=1.0.0;q=0.000,text/plain;q=0.1"), kText);
  EXPECT_EQ(chosen("text/plain;q=0,application/openmetrics-text;version=1.0.0;q=0.1"), kOpenMetrics);
}

TEST(AcceptExposition, CaseSpacesAndQuotesAsTheRfcAllows) {
  EXPECT_EQ(chosen("Application/OpenMetrics-Text; Version=1.0.0 ; Q=0.9 , text/plain ; q=0.5"), kOpenMetrics);
  EXPECT_EQ(chosen("application/openmetrics-text;version=\"1.0.0\""), kOpenMetrics);
  EXPECT_EQ(chosen("\tapplication/openmetrics-text;version=1.0.0\t"), kOpenMetrics);
  EXPECT_EQ(chosen(",,application/openmetrics-text;version=1.0.0,,"), kOpenMetrics);
}

TEST(AcceptExposition, MalformedElementsAreSkipped) {
  for (std::string_view accept : {
           "application/openmetrics-text;version=1.0.0;q=2",
           "application/openmetrics-text;version=1.0.0;q=abc",
           "application/openmetrics-text;version=1.0.0;q=0.12345",
           "application/openmetrics-text;version=1.0.0;q=",
           "application/openmetrics-text/x;version=1.0.0",
           "openmetrics-text;version=1.0.0",
           "/;version=1.0.0",
           ";;;,,,===",
           "application/openmetrics-text;version=1.0.0;q=-1",
       }) {
    EXPECT_EQ(chosen(accept), kText) << accept;
  }
  // A malformed element does not spoil the others.
  EXPECT_EQ(chosen("garbage;q=x,application/openmetrics-text;version=1.0.0;q=0.5,text/plain;q=0.4"), kOpenMetrics);
  // A parameter without a value is ignored, as client_golang does.
  EXPECT_EQ(chosen("application/openmetrics-text;version=1.0.0;charset"), kOpenMetrics);
}

// A request's fields, as the server hands them to a handler.
class ListedHeaders final : public RequestHeaders {
 public:
  explicit ListedHeaders(std::vector<std::pair<std::string, std::string>> fields) : fields_(std::move(fields)) {}
  std::vector<std::string_view> values(std::string_view name) const override {
    std::vector<std::string_view> found;
    for (const auto& [field, value] : fields_) {
      if (field == name) found.push_back(value);
    }
    return found;
  }

 private:
  std::vector<std::pair<std::string, std::string>> fields_;
};

TEST(AcceptExposition, SeveralAcceptFieldsAreOneList) {
  const ListedHeaders headers({{"Accept", "text/plain;version=0.0.4;q=0.5"},
                               {"Accept", "application/openmetrics-text;version=1.0.0"}});
  EXPECT_EQ(negotiate_exposition(headers).content_type, kOpenMetrics);
  EXPECT_EQ(negotiate_exposition(ListedHeaders({})).content_type, kText);
}

}  // namespace
}  // namespace gleaner::http
