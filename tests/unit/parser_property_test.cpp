// Every parser, fed thousands of pseudo-random inputs (fixed seeds, so a
// failure reproduces): whatever the bytes, the answer is an error or
// families that pass check_families. Two kinds of input per parser: token
// soup (random bytes mixed with the format's tokens) reaches the error
// paths; documents built line by line from near-valid templates reach the
// success paths, and the test checks that many of those succeed.

#include <gtest/gtest.h>

#include <random>
#include <string>
#include <vector>

#include "tests/support/parser_checks.h"
#include "common/parsers/influx_parser.h"
#include "common/parsers/json_parser.h"
#include "common/parsers/keyvalue_parser.h"
#include "common/parsers/nagios_parser.h"
#include "common/parsers/prometheus_parser.h"
#include "common/parsers/regex_parser.h"
#include "common/parsers/table_parser.h"
#include "common/parsers/value_parser.h"

namespace gleaner::parsers {
namespace {

constexpr int kInputsPerKind = 2000;

class Random {
 public:
  explicit Random(std::uint32_t seed) : engine_(seed) {}
  int pick(int low, int high) { return std::uniform_int_distribution<int>(low, high)(engine_); }
  template <typename T>
  const T& one_of(const std::vector<T>& items) {
    return items[static_cast<std::size_t>(pick(0, static_cast<int>(items.size()) - 1))];
  }

 private:
  std::mt19937 engine_;
};

const std::vector<std::string> kCommonTokens = {" ",
                                                "\t",
                                                "\n",
                                                "\r\n",
                                                "\r",
                                                "1",
                                                "0",
                                                "2.5",
                                                "-3e2",
                                                "NaN",
                                                "+Inf",
                                                "-",
                                                "%",
                                                "\xff",
                                                "\xc3",
                                                "é",
                                                std::string(1, '\0'),
                                                "a",
                                                "b",
                                                "x_y"};

// Random bytes, or the format's tokens with random bytes between.
std::string token_soup(Random& random, const std::vector<std::string>& tokens) {
  std::string text;
  const int length = random.pick(0, 60);
  const bool bytes_only = random.pick(0, 3) == 0;
  for (int i = 0; i < length; ++i) {
    if (bytes_only || random.pick(0, 9) == 0) {
      text.push_back(static_cast<char>(random.pick(0, 255)));
    } else if (random.pick(0, 2) == 0) {
      text += random.one_of(kCommonTokens);
    } else {
      text += random.one_of(tokens);
    }
  }
  return text;
}

// Up to eight lines, each a template whose '@' becomes a small number (so
// that series sometimes repeat and sometimes not).
std::string from_templates(Random& random, const std::vector<std::string>& templates) {
  std::string text;
  const int lines = random.pick(0, 8);
  for (int i = 0; i < lines; ++i) {
    for (char c : random.one_of(templates)) {
      if (c == '@') {
        text += std::to_string(random.pick(0, 9));
      } else {
        text.push_back(c);
      }
    }
    text += random.pick(0, 5) == 0 ? "\r\n" : "\n";
  }
  return text;
}

struct Tally {
  int ok = 0;
  int failed = 0;
};

template <typename Make>
Tally feed(const Parser& parser, Random& random, Make make) {
  Tally tally;
  for (int i = 0; i < kInputsPerKind; ++i) {
    const std::string text = make(random);
    const auto output = parser.parse(ParseInput{text, random.pick(-1, 5)});
    EXPECT_TRUE(testing::error_or_valid(output)) << "input: " << ::testing::PrintToString(text);
    if (::testing::Test::HasFailure()) return tally;
    (output.ok() ? tally.ok : tally.failed)++;
  }
  return tally;
}

// Runs both kinds of input; many of the templated ones must succeed.
void check_parser(const Parser& parser, std::uint32_t seed, const std::vector<std::string>& tokens,
                  const std::vector<std::string>& templates) {
  Random random(seed);
  const auto soup = feed(parser, random, [&](Random& r) { return token_soup(r, tokens); });
  EXPECT_GT(soup.failed, 0);
  const auto tally = feed(parser, random, [&](Random& r) { return from_templates(r, templates); });
  EXPECT_GT(tally.ok, kInputsPerKind / 10) << "failed: " << tally.failed;
  EXPECT_GT(tally.failed, 0) << "ok: " << tally.ok;
}

TEST(ParserProperty, Prometheus) {
  check_parser(
      PrometheusParser(), 1,
      {"# HELP ",   "# TYPE ",  "histogram",        "summary", "gauge", "counter", "h", "h_bucket", "h_sum", "{",
       "}",         "le=\"1\"", "quantile=\"0.5\"", "l=\"",    "\"",    ",",       "=", "\\",       "\\n",   " 1\n",
       " 1 1000\n", "#"},
      {"# TYPE h histogram",
       "# TYPE s summary",
       "# TYPE g@ gauge",
       "# HELP g@ text \\\\ \\n \xff",
       "# TYPE g@ counter",
       "h_bucket{le=\"@\"} @",
       "h_bucket{le=\"+Inf\"} 1",
       "h_sum @",
       "h_count @",
       "h_bucket @",
       "s{quantile=\"0.@\"} @",
       "s_sum 1",
       "s_count 1",
       "s 1",
       "g@{a=\"@\"} @",
       "g@{a=\"\xff\",b=\"\\\"\"} NaN",
       "g@ @ 1000",
       "u@{x=\"@\",} -Inf",
       "# comment",
       "",
       "g@{a=\"@\" 1",
       "g@ x"});
}

TEST(ParserProperty, Value) {
  check_parser(ValueParser(ValueOptions{"v", metrics::MetricType::gauge, "help"}), 2,
               {"42", " 42 ", "\n7\n", "1e400", "inf", "+", "0x1"}, {"", "@", " @.5 ", "-@e@"});
}

TEST(ParserProperty, KeyValue) {
  check_parser(KeyValueParser(KeyValueOptions{"app_", metrics::MetricType::gauge, ""}), 3,
               {"=", ":", "#", "key", "rx-bytes", "2xx", "1.5K", "48%", "12Gi", "\n"},
               {"k@=@", "k@: @%", " k-@ = @.5K ", "# note", "", "\xff@=1", "k@=x", "k@"});
}

TEST(ParserProperty, Table) {
  TableOptions named;
  named.header = false;
  named.columns = {"name", "size", "mount"};
  named.labels = {"name", "mount"};
  named.values = {{"size", "size_bytes"}};
  check_parser(TableParser(named), 4, {"a b\n", "\n", "233Gi", "1.5K", "48%", "/mnt/x y", "-", "   "},
               {"dev@ @G /mnt/@", "dev@ - /mnt/@ x", "dev@ @% /a b @", "", "dev@\xff @ \xc3", "dev@ x /m", "dev@"});
  TableOptions from_header;
  from_header.labels = {"a"};
  from_header.values = {{"b", "m"}};
  Random random(5);
  feed(TableParser(from_header), random, [](Random& r) { return token_soup(r, {"a b\n", "a", "b", "\n"}); });
}

TEST(ParserProperty, Regex) {
  RegexOptions options;
  options.pattern = R"((?m)^(?P<k>[^=\n]*)=(?P<v>[^\s]*)(?: (?P<u>\w+))?)";
  options.labels = {"k", "u"};
  options.values = {{"v", "m"}};
  check_parser(RegexParser(options), 6, {"=", "\n", "k", "1.5K", "48%", " unit"},
               {"k@=@", "k@=@ s", "k\xff@=@", "=@", "k@=x", "nothing"});
}

TEST(ParserProperty, Json) {
  JsonOptions options;
  options.values = {{"m", "v"}};
  options.labels = {{"l", "k"}};
  options.each = "items";
  const JsonParser parser(options);
  Random random(7);
  feed(parser, random, [](Random& r) {
    return token_soup(r, {"{", "}", "[", "]", ",", ":", "\"items\"", "\"v\"", "\"k\"", "\"1.5K\"", "true", "null",
                          "\"\\u0000\"", "\"\\ud800\"", "1e999"});
  });
  // Well-formed documents, so that the success path is walked too.
  const std::vector<std::string> values = {"1", "-2.5", "true", "\"3%\"", "\"x\"", "null", "[]", "{}"};
  const std::vector<std::string> labels = {"\"a\"", "\"b\"", "\"c\\u00e9\"", "\"\\u0000\"", "7", "false"};
  const auto tally = feed(parser, random, [&](Random& r) {
    std::string text = "{\"items\": [";
    const int count = r.pick(0, 4);
    for (int item = 0; item < count; ++item) {
      text += std::string(item ? "," : "") + "{\"v\": " + r.one_of(values) + ", \"k\": " + r.one_of(labels) + "}";
    }
    return text + "]}";
  });
  EXPECT_GT(tally.ok, kInputsPerKind / 10);
}

TEST(ParserProperty, Nagios) {
  // The status alone is valid output, so only on_error: fail can fail.
  check_parser(NagiosParser(NagiosOptions{"check", OnError::fail}), 8,
               {"OK - ", "|", " | ", "=", ";", "'", "''", "U", "ms", "KB", "GB", "s", "c", "10:20", "~:", "@", "0,5"},
               {"OK - all fine | l@=@ms;@;@;0;@", "| 'a @'=@%;;;0;100", "long text", "'it''s @'=U",
                "x@=@,5°C;~:@;@:", "p@=@c;;", "bad@", "q@=@;x"});
}

TEST(ParserProperty, Influx) {
  check_parser(InfluxParser(InfluxOptions{OnError::fail}), 12,
               {",", "=", " ", "\\", "\\ ", "\\,", "\"", "#", "1i", "2u", "t", "FALSE", "1e5", "m", "tag", "\n"},
               {"m@,t=@ f=@", "m,t=a\\ @ f=@i,g=@u @", "m f=\"s @\",g=T", "# note @", "", "m@ f=@.5e-@ 1@",
                "m,t=\xff@ f=@", "m f=0@i", "m,t= f=@", "m f=\"@"});
}

// on_error's promises on near-valid documents: what fail reads, skip reads
// alike without skipping; what skip reads without skipping, fail reads; a
// skip that succeeds says why exactly when it skipped.
void check_modes(const Parser& skip, const Parser& fail, std::uint32_t seed, const std::vector<std::string>& templates,
                 const std::string& first_line = "") {
  Random random(seed);
  int skipped_some = 0;
  for (int i = 0; i < kInputsPerKind; ++i) {
    const std::string text = first_line + from_templates(random, templates);
    const auto lenient = skip.parse(ParseInput{text});
    const auto strict = fail.parse(ParseInput{text});
    const auto shown = ::testing::PrintToString(text);
    EXPECT_TRUE(testing::error_or_valid(lenient)) << shown;
    EXPECT_EQ(strict.skipped, 0u) << shown;
    if (strict.ok()) {
      EXPECT_TRUE(lenient.ok() && lenient.skipped == 0 && lenient.families == strict.families) << shown;
    }
    if (lenient.ok()) {
      EXPECT_EQ(lenient.skipped == 0, strict.ok()) << shown;
      EXPECT_EQ(lenient.skipped == 0, lenient.first_skipped.empty()) << shown;
      skipped_some += lenient.skipped > 0;
    }
    if (::testing::Test::HasFailure()) return;
  }
  EXPECT_GT(skipped_some, kInputsPerKind / 10);
}

TEST(ParserProperty, OnErrorModes) {
  check_modes(PrometheusParser(PrometheusOptions{OnError::skip}), PrometheusParser(PrometheusOptions{OnError::fail}), 9,
              {"# TYPE h histogram", "# TYPE g@ gauge", "# TYPE g@ counter", "# HELP g@ text @", "h_bucket{le=\"@\"} @",
               "h_bucket{le=\"@.0\"} @", "h_sum @", "g@{a=\"@\"} @", "g@ x", "h @", "# TYPE g@ info"});
  KeyValueOptions keyvalue;
  auto keyvalue_strict = keyvalue;
  keyvalue_strict.on_error = OnError::fail;
  check_modes(KeyValueParser(keyvalue), KeyValueParser(keyvalue_strict), 10, {"k@=@", "k@: @%", "k@=x", "k@", "=@"});
  TableOptions table;
  table.labels = {"name"};
  table.values = {{"size", "size_bytes"}, {"used", "used_bytes"}};
  auto table_strict = table;
  table_strict.on_error = OnError::fail;
  check_modes(InfluxParser(InfluxOptions{OnError::skip}), InfluxParser(InfluxOptions{OnError::fail}), 13,
              {"m@,t=@ f=@", "m f=@i,g=@", "m f=x@", "m f=0@i", "m,t=@", "m f=\"@\" @", "m f=@ @@@@@@@@@@@@@@@@@@@@"});
  check_modes(TableParser(table), TableParser(table_strict), 11, {"n@ @ @", "n@ @", "n@ - x", "n@", "n@ x @G"},
              "name size used\n");
}

}  // namespace
}  // namespace gleaner::parsers
