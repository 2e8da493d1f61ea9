// libFuzzer's inputs are a few KB, too small to show a parser whose cost
// grows with the square of its input; a command may print megabytes. This
// probe feeds each parser inputs of 256 KiB and 1 MiB built from one shape
// (many lines, one line of many tokens, blank runs) and compares the times:
// linear work grows about 4 times (up to 8 with caches and rehashing),
// quadratic work 16 times. It prints one line per shape and exits 1 if any
// grew more than 10 times.
//
//   cmake --build build-fuzz --target parser_scaling_probe
//   build-fuzz/tests/fuzz/parser_scaling_probe [NAME_PART]

#include <chrono>
#include <cstdio>
#include <functional>
#include <memory>
#include <string>
#include <vector>

#include "common/parsers/json_parser.h"
#include "common/parsers/keyvalue_parser.h"
#include "common/parsers/influx_parser.h"
#include "common/parsers/nagios_parser.h"
#include "common/parsers/prometheus_parser.h"
#include "common/parsers/regex_parser.h"
#include "common/parsers/table_parser.h"
#include "common/parsers/value_parser.h"

namespace {

using namespace gleaner::parsers;
using gleaner::metrics::MetricType;

// An input of about `size` bytes: `head`, then `item(i)` for i = 0, 1, …
// until the size is reached, then `tail`.
std::string build(std::size_t size, const std::string& head, const std::function<std::string(std::size_t)>& item,
                  const std::string& tail = "") {
  std::string text = head;
  for (std::size_t i = 0; text.size() < size; ++i) text += item(i);
  return text + tail;
}

struct Shape {
  std::string name;
  std::shared_ptr<const Parser> parser;
  std::function<std::string(std::size_t)> make;
};

std::string n(std::size_t i) { return std::to_string(i); }

std::vector<Shape> shapes() {
  auto prometheus = std::make_shared<PrometheusParser>();
  auto value = std::make_shared<ValueParser>(ValueOptions{"v", MetricType::gauge, ""});
  auto keyvalue = std::make_shared<KeyValueParser>(KeyValueOptions{"app_", MetricType::gauge, ""});
  TableOptions header_names;
  header_names.labels = {"a"};
  header_names.values = {{"b", "m"}};
  auto table = std::make_shared<TableParser>(header_names);
  auto regex = std::make_shared<RegexParser>(
      RegexOptions{R"((?m)^(?P<k>[^=\n]*)=(?P<v>\S*)(?: (?P<u>\w+))?)", {"k", "u"}, {{"v", "m"}}, MetricType::gauge});
  auto empty_matches = std::make_shared<RegexParser>(
      RegexOptions{R"((?P<v>\d*)(?P<unit>[a-z]*))", {"unit"}, {{"v", "m"}}, MetricType::gauge});
  JsonOptions each;
  each.each = ".";
  each.values = {{"m", "v"}};
  each.labels = {{"k", "k"}};
  auto json = std::make_shared<JsonParser>(each);
  auto nagios = std::make_shared<NagiosParser>(NagiosOptions{"check"});
  auto influx = std::make_shared<InfluxParser>(InfluxOptions{OnError::skip});

  return {
      {"prometheus: many series", prometheus,
       [](std::size_t size) { return build(size, "", [](std::size_t i) { return "m{a=\"" + n(i) + "\"} 1\n"; }); }},
      {"prometheus: many families", prometheus,
       [](std::size_t size) {
         return build(size, "", [](std::size_t i) { return "# TYPE m" + n(i) + " gauge\nm" + n(i) + " 1\n"; });
       }},
      {"prometheus: one line of labels", prometheus,
       [](std::size_t size) {
         return build(
             size, "m{", [](std::size_t i) { return "l" + n(i) + "=\"\","; }, "} 1\n");
       }},
      {"prometheus: a duplicate with many labels", prometheus,
       [](std::size_t size) {
         const std::string line = build(
             size / 2, "m{", [](std::size_t i) { return "l" + n(i) + "=\"\","; }, "} 1\n");
         return line + line;
       }},
      {"prometheus: histogram buckets", prometheus,
       [](std::size_t size) {
         return build(size, "# TYPE h histogram\n", [](std::size_t i) { return "h_bucket{le=\"" + n(i) + "\"} 1\n"; });
       }},
      {"value: blanks around", value,
       [](std::size_t size) { return std::string(size / 2, ' ') + "1" + std::string(size / 2, '\n'); }},
      {"keyvalue: many keys", keyvalue,
       [](std::size_t size) { return build(size, "", [](std::size_t i) { return "k" + n(i) + "=1K\n"; }); }},
      {"table: many rows", table,
       [](std::size_t size) { return build(size, "a b\n", [](std::size_t i) { return "x" + n(i) + " 1\n"; }); }},
      {"table: a header of many columns", table,
       [](std::size_t size) {
         return build(
             size, "", [](std::size_t i) { return "c" + n(i) + " "; }, "\n");
       }},
      {"table: blank lines", table, [](std::size_t size) { return "a b\n" + std::string(size, '\n') + "x 1\n"; }},
      {"regex: many matches", regex,
       [](std::size_t size) { return build(size, "", [](std::size_t i) { return "k" + n(i) + "=1 u\n"; }); }},
      {"regex: empty matches", empty_matches, [](std::size_t size) { return std::string(size, '-'); }},
      {"regex: CRLF", regex,
       [](std::size_t size) { return build(size, "", [](std::size_t i) { return "k" + n(i) + "=1\r\n"; }); }},
      {"json: many elements", json,
       [](std::size_t size) {
         return build(
             size, "[", [](std::size_t i) { return std::string(i ? "," : "") + "{\"v\":1,\"k\":" + n(i) + "}"; }, "]");
       }},
      {"json: deep nesting", json,
       [](std::size_t size) { return std::string(size / 2, '[') + std::string(size / 2, ']'); }},
      {"nagios: many perfdata items", nagios,
       [](std::size_t size) {
         return build(size, "OK |", [](std::size_t i) { return " l" + n(i) + "=1ms;2;3;0;9"; });
       }},
      {"influx: many series", influx,
       [](std::size_t size) { return build(size, "", [](std::size_t i) { return "m,t=" + n(i) + " f=1i\n"; }); }},
      {"influx: one point of many tags and fields", influx,
       [](std::size_t size) {
         return build(size / 2, "m", [](std::size_t i) { return ",t" + n(i) + "=v"; }) +
                build(size / 2, " ", [](std::size_t i) { return "f" + n(i) + "=1,"; }, "x=1\n");
       }},
      {"influx: unterminated strings, skipped", influx,
       [](std::size_t size) { return build(size, "", [](std::size_t i) { return "m s=\"" + n(i) + "\n"; }); }},
      {"nagios: long output lines", nagios,
       [](std::size_t size) {
         return build(
             size, "OK\n", [](std::size_t i) { return "line " + n(i) + "\n"; }, "|a=1");
       }},
  };
}

double milliseconds_to_parse(const Parser& parser, const std::string& text) {
  const auto start = std::chrono::steady_clock::now();
  const auto output = parser.parse(ParseInput{text, 0});
  return std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - start).count();
}

}  // namespace

int main(int argc, char** argv) {
  const std::string only = argc > 1 ? argv[1] : "";
  constexpr std::size_t kSmall = 256 * 1024;
  constexpr std::size_t kLarge = 4 * kSmall;
  constexpr double kNoiseMs = 20;  // below this, timings say nothing
  int suspicious = 0;
  std::printf("%-42s %12s %12s %8s\n", "shape", "256 KiB", "1 MiB", "growth");
  for (const auto& shape : shapes()) {
    if (shape.name.find(only) == std::string::npos) continue;
    const double small = milliseconds_to_parse(*shape.parser, shape.make(kSmall));
    const double large = milliseconds_to_parse(*shape.parser, shape.make(kLarge));
    const double growth = large / std::max(small, 0.001);
    const bool quadratic = large > kNoiseMs && growth > 10;
    suspicious += quadratic;
    std::printf("%-42s %10.1fms %10.1fms %7.1fx%s\n", shape.name.c_str(), small, large, growth,
                quadratic ? "  <- grows faster than the input" : "");
  }
  return suspicious ? 1 : 0;
}
