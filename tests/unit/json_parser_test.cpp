#include "common/parsers/json_parser.h"

#include <gtest/gtest.h>

#include "tests/support/fixtures.h"
#include "tests/support/hostile_inputs.h"
#include "tests/support/parser_checks.h"

namespace gleaner::parsers {
namespace {

using metrics::MetricType;
using testing::find_sample;
using testing::parsed_valid;
using testing::value_of;

ParseOutput parse(std::string_view text, JsonOptions options) {
  return JsonParser(std::move(options)).parse(ParseInput{text});
}

std::string path_error(std::string_view text) {
  std::string error;
  EXPECT_FALSE(parse_json_path(text, error).has_value()) << text;
  return error;
}

TEST(JsonPath, ReadsKeysIndicesAndQuotedKeys) {
  std::string error;
  const auto path = parse_json_path("a.b-c[2][\"x.y\"].maj:min", error);
  ASSERT_TRUE(path) << error;
  ASSERT_EQ(path->steps.size(), 5u);
  EXPECT_EQ(path->steps[0].key, "a");
  EXPECT_EQ(path->steps[1].key, "b-c");
  EXPECT_TRUE(path->steps[2].is_index);
  EXPECT_EQ(path->steps[2].index, 2u);
  EXPECT_EQ(path->steps[3].key, "x.y");
  EXPECT_EQ(path->steps[4].key, "maj:min");
  EXPECT_EQ(parse_json_path("[0].x", error)->steps.size(), 2u);
  EXPECT_EQ(parse_json_path(".a.b", error)->steps.size(), 2u);
  EXPECT_TRUE(parse_json_path(".", error)->steps.empty());
  EXPECT_EQ(parse_json_path("[\"a\\\"b\"]", error)->steps[0].key, "a\"b");
  EXPECT_EQ(parse_json_path("GET /orders.requests", error)->steps[0].key, "GET /orders");
}

TEST(JsonPath, RejectsMalformedPaths) {
  EXPECT_EQ(path_error(""), "empty path (write \".\" for the element itself)");
  EXPECT_EQ(path_error("a..b"), "empty key before '.'");
  EXPECT_EQ(path_error("a."), "the path ends with '.'");
  EXPECT_EQ(path_error("a[x]"), "expected an array index (0, 1, …) or a quoted key after '['");
  EXPECT_EQ(path_error("a[-1]"), "expected an array index (0, 1, …) or a quoted key after '['");
  EXPECT_EQ(path_error("a[1"), "expected ']'");
  EXPECT_EQ(path_error("a[\"x]"), "a quoted key has no closing '\"'");
  EXPECT_EQ(path_error("a]"), "']' without '['");
  EXPECT_EQ(path_error("a[0]b"), "expected '.' or '[' after ']'");
  EXPECT_EQ(path_error("[99999999999999999999999]"), "expected an array index (0, 1, …) or a quoted key after '['");
}

TEST(JsonParser, ReadsAServiceStatus) {
  JsonOptions options;
  options.values = {{"uptime_seconds", "uptime_seconds"},
                    {"healthy", "healthy"},
                    {"queue_depth", "queue.depth"},
                    {"queue_paused", "queue.paused"},
                    {"cache_hit_ratio", "cache.hit_ratio"},
                    {"cache_size_bytes", "cache.size"},
                    {"orders_get_requests", "endpoints.GET /orders.requests"}};
  options.labels = {{"service", "service"}, {"version", "version"}, {"go_version", "build-info.go-version"}};
  const auto output = parse(testing::read_fixture("parsers/service_status.json"), options);
  ASSERT_TRUE(parsed_valid(output));
  ASSERT_EQ(output.families.size(), 7u);
  const metrics::Labels labels{{"service", "orders-api"}, {"version", "2.14.1"}, {"go_version", "go1.21.5"}};
  EXPECT_EQ(output.families[0].samples[0].labels, labels);
  EXPECT_DOUBLE_EQ(value_of(output.families, "uptime_seconds"), 86423.5);
  EXPECT_DOUBLE_EQ(value_of(output.families, "healthy"), 1);
  EXPECT_DOUBLE_EQ(value_of(output.families, "queue_depth"), 1532);
  EXPECT_DOUBLE_EQ(value_of(output.families, "queue_paused"), 0);
  EXPECT_DOUBLE_EQ(value_of(output.families, "cache_hit_ratio"), 0.973);
  EXPECT_DOUBLE_EQ(value_of(output.families, "cache_size_bytes"), 1.5 * 1024 * 1024 * 1024);
  EXPECT_DOUBLE_EQ(value_of(output.families, "orders_get_requests"), 1829);
}

TEST(JsonParser, EachIteratesAnArray) {
  JsonOptions options;
  options.each = "databases";
  options.values = {{"db_connections_active", "connections.active"},
                    {"db_replication_lag_seconds", "lag_seconds"},
                    {"db_reachable", "reachable"}};
  options.labels = {{"name", "name"}, {"role", "role"}};
  const auto output = parse(testing::read_fixture("parsers/service_status.json"), options);
  ASSERT_TRUE(parsed_valid(output));
  ASSERT_EQ(output.families.size(), 3u);
  EXPECT_EQ(output.families[0].samples.size(), 3u);
  EXPECT_DOUBLE_EQ(value_of(output.families, "db_connections_active", {{"name", "replica-1"}}), 3);
  EXPECT_DOUBLE_EQ(value_of(output.families, "db_replication_lag_seconds", {{"name", "replica-2"}}), 31.7);
  EXPECT_DOUBLE_EQ(value_of(output.families, "db_reachable", {{"name", "replica-2"}, {"role", "follower"}}), 0);
}

TEST(JsonParser, ReadsIpLinkStatistics) {
  JsonOptions options;
  options.each = ".";
  options.type = MetricType::counter;
  options.values = {{"network_receive_bytes_total", "stats64.rx.bytes"},
                    {"network_transmit_packets_total", "stats64.tx.packets"}};
  options.labels = {{"device", "ifname"}, {"mtu", "mtu"}, {"first_flag", "flags[0]"}};
  const auto output = parse(testing::read_fixture("parsers/ip_link_stats.json"), options);
  ASSERT_TRUE(parsed_valid(output));
  EXPECT_EQ(output.families[0].type, MetricType::counter);
  EXPECT_DOUBLE_EQ(value_of(output.families, "network_receive_bytes_total", {{"device", "eth0"}}), 73310482);
  const auto* lo = find_sample(output.families, "network_transmit_packets_total", {{"device", "lo"}});
  ASSERT_NE(lo, nullptr);
  EXPECT_EQ(lo->labels, (metrics::Labels{{"device", "lo"}, {"mtu", "65536"}, {"first_flag", "LOOPBACK"}}));
}

TEST(JsonParser, KeysWithColonsAndNestedEach) {
  JsonOptions options;
  options.each = "blockdevices";
  options.values = {{"block_device_size_bytes", "size"}, {"block_device_read_only", "ro"}};
  options.labels = {{"name", "name"}, {"major_minor", "maj:min"}};
  const auto output = parse(testing::read_fixture("parsers/lsblk.json"), options);
  ASSERT_TRUE(parsed_valid(output));
  EXPECT_DOUBLE_EQ(value_of(output.families, "block_device_size_bytes", {{"major_minor", "254:0"}}), 274877906944);
}

TEST(JsonParser, LabelsFromNumbersAndBools) {
  JsonOptions options;
  options.values = {{"v", "v"}};
  options.labels = {{"f", "f"}, {"i", "i"}, {"b", "b"}};
  const auto output = parse(R"({"v": 1, "f": 0.5, "i": -3, "b": true})", options);
  ASSERT_TRUE(parsed_valid(output));
  EXPECT_EQ(output.families[0].samples[0].labels, (metrics::Labels{{"f", "0.5"}, {"i", "-3"}, {"b", "true"}}));
}

TEST(JsonParser, StringsAreMadeValidLabelValues) {
  JsonOptions options;
  options.values = {{"v", "v"}};
  options.labels = {{"s", "s"}};
  const auto output = parse(R"({"v": 1, "s": "a\u0000b"})", options);
  ASSERT_TRUE(parsed_valid(output));
  EXPECT_EQ(output.families[0].samples[0].labels[0].value,
            "a\xEF\xBF\xBD"
            "b");
}

TEST(JsonParser, ErrorsNameThePath) {
  JsonOptions options;
  options.values = {{"m", "a.b"}};
  EXPECT_EQ(parse(R"({"a": {}})", options).error, "path \"a.b\" not found");
  EXPECT_EQ(parse(R"({"a": {"b": null}})", options).error, "path \"a.b\": expected a number, got null");
  EXPECT_EQ(parse(R"({"a": {"b": [1]}})", options).error, "path \"a.b\": expected a number, got array");
  EXPECT_EQ(parse(R"({"a": {"b": "many"}})", options).error,
            "path \"a.b\": expected a number, got the string \"many\"");
  EXPECT_EQ(parse(R"([1])", options).error, "path \"a.b\" not found");
  options.labels = {{"l", "name"}};
  EXPECT_EQ(parse(R"({"a": {"b": 1}, "name": {}})", options).error,
            "path \"name\": expected a string, number or bool for a label, got object");
}

TEST(JsonParser, EachErrorsNameTheElement) {
  JsonOptions options;
  options.each = "items";
  options.values = {{"m", "v"}};
  options.labels = {{"id", "id"}};
  EXPECT_EQ(parse(R"({"items": [{"id": 1, "v": 1}, {"id": 2}]})", options).error, "element 1: path \"v\" not found");
  EXPECT_EQ(parse(R"({"items": [{"id": 1, "v": 1}, {"id": 1, "v": 2}]})", options).error,
            "element 1: duplicate series m{id=\"1\"}");
  EXPECT_EQ(parse(R"({"items": {"id": 1}})", options).error, "each: path \"items\" leads to object, not an array");
  EXPECT_EQ(parse(R"({})", options).error, "each: path \"items\" not found");
  const auto empty = parse(R"({"items": []})", options);
  ASSERT_TRUE(parsed_valid(empty));
  EXPECT_TRUE(empty.families.empty());
}

TEST(JsonParser, BadJsonIsAnError) {
  JsonOptions options;
  options.values = {{"m", "."}};
  EXPECT_EQ(parse("", options).error,
            "invalid JSON: parse error at line 1, column 1: syntax error while parsing value - unexpected end of "
            "input; expected '[', '{', or a literal");
  EXPECT_EQ(parse("{\"a\": [1, 2", options).error.rfind("invalid JSON: parse error at line 1, column 12", 0), 0u);
  EXPECT_EQ(parse("1 2", options).error.rfind("invalid JSON: parse error at line 1, column 3", 0), 0u);
  EXPECT_EQ(parse("\"caf\xe9\"", options).error.rfind("invalid JSON: parse error", 0), 0u);
  EXPECT_DOUBLE_EQ(value_of(parse(" 42 \r\n", options).families, "m"), 42);
}

TEST(JsonParser, DeepNestingNeitherCrashesNorRecursesTooDeep) {
  JsonOptions options;
  options.values = {{"m", "."}};
  const std::string deep = std::string(200000, '[') + std::string(200000, ']');
  EXPECT_EQ(parse(deep, options).error, "path \".\": expected a number, got array");
}

TEST(JsonParser, InvalidOptions) {
  JsonOptions options;
  EXPECT_EQ(check_options(options), "values must map at least one metric to a path");
  options.values = {{"bad name", "a"}};
  EXPECT_EQ(check_options(options), "values: \"bad name\" is not a valid metric name ([a-zA-Z_:][a-zA-Z0-9_:]*)");
  options.values = {{"m", "a..b"}};
  EXPECT_EQ(check_options(options), "values.m: bad path \"a..b\": empty key before '.'");
  options.values = {{"m", "a"}};
  options.labels = {{"le-x", "a"}};
  EXPECT_EQ(check_options(options), "labels: \"le-x\" is not a valid label name ([a-zA-Z_][a-zA-Z0-9_]*)");
  options.labels = {{"__name__", "a"}};
  EXPECT_EQ(check_options(options), "labels: the label name \"__name__\" is reserved");
  options.labels = {};
  options.each = "a[";
  EXPECT_EQ(check_options(options),
            "each: bad path \"a[\": expected an array index (0, 1, …) or a quoted key after '['");
  EXPECT_FALSE(parse("{}", options).ok());
}

TEST(JsonParser, HostileInputsGiveAnErrorOrValidFamilies) {
  JsonOptions options;
  options.values = {{"m", "a"}};
  options.labels = {{"l", "b"}};
  for (const auto& input : testing::hostile_inputs()) {
    const auto output = parse(input.text, options);
    EXPECT_TRUE(testing::error_or_valid(output)) << input.name;
    EXPECT_LT(output.error.size(), 300u) << input.name;
  }
}

}  // namespace
}  // namespace gleaner::parsers

namespace gleaner::parsers {
namespace {

TEST(JsonParser, HelpPerMetric) {
  JsonOptions options;
  options.values = {{"up", "up"}, {"load", "load"}};
  options.help = {{"load", "The service's load."}};
  const auto output = parse(R"({"up": true, "load": 0.5})", options);
  ASSERT_TRUE(parsed_valid(output));
  EXPECT_EQ(output.families[0].help, "");
  EXPECT_EQ(output.families[1].help, "The service's load.");
  options.help = {{"nope", "?"}};
  EXPECT_EQ(check_options(options), "help: \"nope\" is none of the parser's metrics");
}

}  // namespace
}  // namespace gleaner::parsers
