#include "plugins/exec/parser_config.h"

#include <gtest/gtest.h>
#include <yaml-cpp/yaml.h>

#include "tests/support/parser_checks.h"

namespace gleaner::plugins::exec {
namespace {

using testing::parsed_valid;
using testing::value_of;

struct Loaded {
  std::unique_ptr<parsers::Parser> parser;
  std::string errors;  // "FILE:LINE:COLUMN: message\n" each
};

// The `parser:` node of a collector written in YAML.
Loaded load(const std::string& yaml) {
  config::ErrorList errors("gleaner.yaml");
  const YAML::Node collector = YAML::Load(yaml);
  auto parser = read_parser(collector["parser"], errors);
  EXPECT_EQ(parser == nullptr, !errors.empty()) << errors.format();
  return {std::move(parser), errors.format()};
}

parsers::ParseOutput run(const Loaded& loaded, std::string_view text, int exit_code = 0) {
  return loaded.parser->parse(parsers::ParseInput{text, exit_code});
}

TEST(ReadParser, Prometheus) {
  const auto loaded = load("parser: {type: prometheus}");
  ASSERT_NE(loaded.parser, nullptr) << loaded.errors;
  EXPECT_TRUE(parsed_valid(run(loaded, "# TYPE a gauge\na 1\n")));
}

TEST(ReadParser, Value) {
  const auto loaded = load("parser: {type: value, metric: queue_depth, metric_type: counter, help: Jobs waiting.}");
  ASSERT_NE(loaded.parser, nullptr) << loaded.errors;
  const auto output = run(loaded, "17\n");
  ASSERT_TRUE(parsed_valid(output));
  EXPECT_EQ(output.families[0].type, metrics::MetricType::counter);
  EXPECT_EQ(output.families[0].help, "Jobs waiting.");
}

TEST(ReadParser, KeyValue) {
  const auto loaded = load("parser:\n  type: keyvalue\n  prefix: app_\n  separator: ' -> '\n");
  ASSERT_NE(loaded.parser, nullptr) << loaded.errors;
  EXPECT_DOUBLE_EQ(value_of(run(loaded, "hits -> 5\n").families, "app_hits"), 5);
  ASSERT_NE(load("parser: {type: keyvalue}").parser, nullptr);
}

TEST(ReadParser, Table) {
  const auto loaded = load(R"(
parser:
  type: table
  columns: [device, size, used, avail, use, mountpoint]
  labels: [device, mountpoint]
  values: {size: filesystem_size_bytes, use: filesystem_used_ratio}
  header: true
  skip_lines: 0
)");
  ASSERT_NE(loaded.parser, nullptr) << loaded.errors;
  const auto output =
      run(loaded, "Filesystem Size Used Avail Use% Mounted on\n/dev/vdb1 98G 61G 33G 66% /mnt/backup disk\n");
  ASSERT_TRUE(parsed_valid(output));
  EXPECT_DOUBLE_EQ(value_of(output.families, "filesystem_used_ratio", {{"mountpoint", "/mnt/backup disk"}}), 0.66);
}

TEST(ReadParser, Regex) {
  const auto loaded = load(R"(
parser:
  type: regex
  pattern: '(?m)^(?P<field>\w+):\s+(?P<kib>\d+) kB$'
  labels: [field]
  values: {kib: meminfo_kib}
)");
  ASSERT_NE(loaded.parser, nullptr) << loaded.errors;
  EXPECT_DOUBLE_EQ(value_of(run(loaded, "MemTotal:  24684084 kB\n").families, "meminfo_kib", {{"field", "MemTotal"}}),
                   24684084);
}

TEST(ReadParser, Json) {
  const auto loaded = load(R"(
parser:
  type: json
  each: databases
  labels: {name: name}
  values: {db_connections_active: connections.active}
)");
  ASSERT_NE(loaded.parser, nullptr) << loaded.errors;
  const auto output = run(loaded, R"({"databases": [{"name": "primary", "connections": {"active": 12}}]})");
  EXPECT_DOUBLE_EQ(value_of(output.families, "db_connections_active", {{"name", "primary"}}), 12);
}

TEST(ReadParser, Nagios) {
  const auto loaded = load("parser: {type: nagios, metric: disk_check}");
  ASSERT_NE(loaded.parser, nullptr) << loaded.errors;
  EXPECT_DOUBLE_EQ(value_of(run(loaded, "DISK WARNING", 1).families, "disk_check_status"), 1);
}

TEST(ReadParser, Influx) {
  const auto loaded = load("parser: {type: influx}");
  ASSERT_NE(loaded.parser, nullptr) << loaded.errors;
  const auto output = run(loaded, "cpu,host=a usage_idle=98.5 1700000000000000000\n");
  ASSERT_TRUE(parsed_valid(output));
  EXPECT_DOUBLE_EQ(value_of(output.families, "cpu_usage_idle", {{"host", "a"}}), 98.5);
}

// Telegraf drops a whole output for one bad line; the influx parser does the
// same unless told to skip.
TEST(ReadParser, OnErrorFailIsTheDefaultForInflux) {
  const auto strict = load("parser: {type: influx}");
  ASSERT_NE(strict.parser, nullptr) << strict.errors;
  EXPECT_EQ(run(strict, "m a=1\nm b\n").error, "line 2: the field key \"b\" has no '=' and value");
  const auto lenient = load("parser: {type: influx, on_error: skip}");
  ASSERT_NE(lenient.parser, nullptr) << lenient.errors;
  const auto skipped = run(lenient, "m a=1\nm b\n");
  ASSERT_TRUE(parsed_valid(skipped));
  EXPECT_EQ(skipped.skipped, 1u);
  EXPECT_NE(load("parser: {type: influx, on_error: fail}").parser, nullptr);
  EXPECT_EQ(load("parser: {type: influx, on_error: maybe}").errors,
            "gleaner.yaml:1:34: parser.on_error: unknown value \"maybe\" (one of: fail, skip)\n");
  EXPECT_EQ(load("parser: {type: influx, metric_type: counter}").errors,
            "gleaner.yaml:1:24: unknown key \"metric_type\" in parser\n");
}

TEST(ReadParser, OnErrorSkipIsTheDefaultForTheLineParsers) {
  const auto lenient = load("parser: {type: prometheus}");
  ASSERT_NE(lenient.parser, nullptr) << lenient.errors;
  const auto skipped = run(lenient, "a 1\nb x\n");
  ASSERT_TRUE(parsed_valid(skipped));
  EXPECT_EQ(skipped.skipped, 1u);
  const auto strict = load("parser: {type: prometheus, on_error: fail}");
  ASSERT_NE(strict.parser, nullptr) << strict.errors;
  EXPECT_EQ(run(strict, "a 1\nb x\n").error, "line 2: expected a number as the value, got \"x\"");
  for (const char* yaml : {"parser: {type: keyvalue, on_error: fail}",
                           "parser: {type: nagios, metric: c, on_error: fail}",
                           "parser: {type: table, values: {a: m}, on_error: fail}"}) {
    const auto loaded = load(yaml);
    ASSERT_NE(loaded.parser, nullptr) << yaml << loaded.errors;
  }
  EXPECT_FALSE(run(load("parser: {type: keyvalue, on_error: fail}"), "a=1\nb\n").ok());
  EXPECT_FALSE(run(load("parser: {type: nagios, metric: c, on_error: fail}"), "OK | =1").ok());
  EXPECT_FALSE(run(load("parser: {type: table, values: {a: m}, on_error: fail}"), "a\n1\nx\n").ok());
}

TEST(ReadParser, HelpForTheMetricsAParserNames) {
  const auto table = load(R"(
parser:
  type: table
  labels: [Mounted on]
  values: {Size: {metric: fs_size_bytes, help: "Size of the filesystem."}, Used: fs_used_bytes}
)");
  ASSERT_NE(table.parser, nullptr) << table.errors;
  const auto df = run(table, "Filesystem Size Used Avail Use% Mounted on\n/dev/vda 252G 19G 78G 20% /\n");
  ASSERT_TRUE(parsed_valid(df));
  EXPECT_EQ(df.families[0].help, "Size of the filesystem.");
  EXPECT_EQ(df.families[1].help, "");

  const auto regex = load("parser: {type: regex, pattern: '(?P<v>\\d+)', values: {v: {metric: m, help: Hm.}}}");
  ASSERT_NE(regex.parser, nullptr) << regex.errors;
  EXPECT_EQ(run(regex, "5").families[0].help, "Hm.");

  const auto json = load("parser: {type: json, values: {m: {path: a.b, help: From a.b.}, n: c}}");
  ASSERT_NE(json.parser, nullptr) << json.errors;
  const auto document = run(json, R"({"a": {"b": 1}, "c": 2})");
  ASSERT_TRUE(parsed_valid(document));
  EXPECT_EQ(document.families[0].help, "From a.b.");
  EXPECT_EQ(document.families[1].help, "");

  const auto keyvalue = load("parser: {type: keyvalue, help: From the app.}");
  ASSERT_NE(keyvalue.parser, nullptr) << keyvalue.errors;
  EXPECT_EQ(run(keyvalue, "a=1").families[0].help, "From the app.");
}

TEST(ReadParser, TableTrimLabels) {
  const auto loaded = load(R"(
parser:
  type: table
  columns: [kind, total, used, free, shared, buff_cache, available]
  labels: [kind]
  values: {total: memory_total_bytes, available: memory_available_bytes}
  trim_labels: ":"
)");
  ASSERT_NE(loaded.parser, nullptr) << loaded.errors;
  const auto output = run(loaded,
                          "               total        used        free      shared  buff/cache   available\n"
                          "Mem:     25276063744  3553705984 19282169856     9138176  2765746176 21722357760\n"
                          "Swap:              0           0           0\n");
  ASSERT_TRUE(parsed_valid(output));
  EXPECT_EQ(output.skipped, 0u);
  EXPECT_DOUBLE_EQ(value_of(output.families, "memory_total_bytes", {{"kind", "Swap"}}), 0);
  EXPECT_DOUBLE_EQ(value_of(output.families, "memory_available_bytes", {{"kind", "Mem"}}), 21722357760);
}

struct BadConfig {
  const char* yaml;
  const char* errors;
};

class ReadParserErrors : public ::testing::TestWithParam<BadConfig> {};

TEST_P(ReadParserErrors, PointAtTheNode) {
  const auto loaded = load(GetParam().yaml);
  EXPECT_EQ(loaded.parser, nullptr);
  EXPECT_EQ(loaded.errors, GetParam().errors);
}

INSTANTIATE_TEST_SUITE_P(
    Everywhere, ReadParserErrors,
    ::testing::Values(
        BadConfig{"parser: table\n", "gleaner.yaml:1:9: parser must be a mapping (key: value), not \"table\"\n"},
        BadConfig{"parser: {metric: x}\n",
                  "gleaner.yaml:1:9: parser needs \"type\" (one of: prometheus, value, keyvalue, table, regex, json, "
                  "nagios, influx)\n"},
        BadConfig{"parser:\n  type: csv\n  foo: 1\n",
                  "gleaner.yaml:2:9: parser.type: unknown value \"csv\" (one of: prometheus, value, keyvalue, table, "
                  "regex, json, nagios, influx)\n"},
        BadConfig{"parser:\n  type: prometheus\n  metric: x\n", "gleaner.yaml:3:3: unknown key \"metric\" in parser\n"},
        BadConfig{"parser:\n  type: value\n", "gleaner.yaml:2:3: parser needs \"metric\"\n"},
        BadConfig{"parser:\n  type: value\n  metric: [a]\n",
                  "gleaner.yaml:3:11: parser.metric must be a string, not a list\n"},
        BadConfig{"parser:\n  type: value\n  metric: 1st-metric\n",
                  "gleaner.yaml:3:11: parser.metric: \"1st-metric\" is not a valid metric name "
                  "([a-zA-Z_:][a-zA-Z0-9_:]*)\n"},
        BadConfig{"parser:\n  type: value\n  metric: m\n  metric_type: histogram\n",
                  "gleaner.yaml:4:16: parser.metric_type: unknown value \"histogram\" (one of: gauge, counter)\n"},
        BadConfig{"parser:\n  type: value\n  metric: m\n  type_: gauge\n",
                  "gleaner.yaml:4:3: unknown key \"type_\" in parser\n"},
        BadConfig{
            "parser:\n  type: keyvalue\n  prefix: 'my app'\n  separator: ''\n",
            "gleaner.yaml:3:11: parser.prefix: \"my app\" is not a valid metric name ([a-zA-Z_:][a-zA-Z0-9_:]*)\n"},
        BadConfig{"parser:\n  type: keyvalue\n  separator: ''\n",
                  "gleaner.yaml:3:14: parser.separator must not be empty\n"},
        BadConfig{"parser:\n  type: table\n  labels: [a]\n", "gleaner.yaml:2:3: parser needs \"values\"\n"},
        BadConfig{"parser:\n  type: table\n  values: {}\n",
                  "gleaner.yaml:3:11: parser.values must name at least one metric\n"},
        BadConfig{"parser:\n  type: table\n  values: {a: m, b: m}\n  header: false\n",
                  "gleaner.yaml:3:21: parser.values: the metric \"m\" is given twice\n"
                  "gleaner.yaml:4:11: parser.header: without a header row, \"columns\" must name the columns\n"},
        BadConfig{"parser:\n  type: table\n  columns: [name, size, name]\n  labels: [name, mount]\n"
                  "  values: {size: size_bytes, used: used_bytes}\n",
                  "gleaner.yaml:3:25: parser.columns: \"name\" appears twice\n"
                  "gleaner.yaml:4:18: parser.labels: no column \"mount\" in parser.columns\n"
                  "gleaner.yaml:5:30: parser.values: no column \"used\" in parser.columns\n"},
        BadConfig{"parser:\n  type: table\n  labels: [__name__]\n  values: {a: m}\n",
                  "gleaner.yaml:3:12: parser.labels: the column \"__name__\" would be the reserved label "
                  "\"__name__\"\n"},
        BadConfig{"parser:\n  type: json\n  labels: {__name__: a}\n  values: {m: a}\n",
                  "gleaner.yaml:3:12: parser.labels: the label name \"__name__\" is reserved\n"},
        BadConfig{"parser:\n  type: table\n  labels: ['%CPU', _CPU]\n  values: {a: m}\n",
                  "gleaner.yaml:3:20: parser.labels: \"_CPU\" gives the label name \"_CPU\" a second time\n"},
        BadConfig{"parser:\n  type: table\n  values: {a: 'm m'}\n  skip_lines: -1\n  header: maybe\n",
                  "gleaner.yaml:3:15: parser.values.a: \"m m\" is not a valid metric name ([a-zA-Z_:][a-zA-Z0-9_:]*)\n"
                  "gleaner.yaml:5:11: parser.header must be true or false, not \"maybe\"\n"
                  "gleaner.yaml:4:15: parser.skip_lines must be a whole number from 0 to 1000000, not \"-1\"\n"},
        BadConfig{"parser:\n  type: regex\n  pattern: '(?P<a>x'\n  values: {a: m}\n",
                  "gleaner.yaml:3:12: parser.pattern does not compile: missing ): (?P<a>x\n"},
        BadConfig{"parser:\n  type: regex\n  pattern: '(?P<a>\\d+) (?P<b>\\w+)'\n  labels: [b, c]\n"
                  "  values: {a: m, z: n}\n",
                  "gleaner.yaml:4:15: parser.labels: the pattern has no group \"c\" (named groups: a, b)\n"
                  "gleaner.yaml:5:18: parser.values: the pattern has no group \"z\" (named groups: a, b)\n"},
        BadConfig{"parser:\n  type: regex\n  pattern: '(\\d+)'\n  values: {v: m}\n",
                  "gleaner.yaml:4:12: parser.values: the pattern has no group \"v\" (named groups: none)\n"},
        BadConfig{"parser:\n  type: regex\n  values: {v: m}\n", "gleaner.yaml:2:3: parser needs \"pattern\"\n"},
        BadConfig{"parser:\n  type: json\n  values: {'bad metric': a, ok: 'a..b'}\n  labels: {'le-x': a}\n"
                  "  each: 'x['\n",
                  "gleaner.yaml:3:12: parser.values: \"bad metric\" is not a valid metric name "
                  "([a-zA-Z_:][a-zA-Z0-9_:]*)\n"
                  "gleaner.yaml:3:33: parser.values.ok: bad path \"a..b\": empty key before '.'\n"
                  "gleaner.yaml:4:12: parser.labels: \"le-x\" is not a valid label name ([a-zA-Z_][a-zA-Z0-9_]*)\n"
                  "gleaner.yaml:5:9: parser.each: bad path \"x[\": expected an array index (0, 1, …) or a quoted key "
                  "after '['\n"},
        BadConfig{"parser:\n  type: json\n  values: [a]\n",
                  "gleaner.yaml:3:11: parser.values must be a mapping (key: value), not a list\n"},
        BadConfig{"parser:\n  type: prometheus\n  on_error: maybe\n",
                  "gleaner.yaml:3:13: parser.on_error: unknown value \"maybe\" (one of: fail, skip)\n"},
        BadConfig{"parser:\n  type: value\n  metric: m\n  on_error: skip\n",
                  "gleaner.yaml:4:13: parser.on_error: the value parser reads its output whole; on_error applies to "
                  "the prometheus, keyvalue, table and nagios parsers\n"},
        BadConfig{"parser:\n  type: table\n  values: {a: {metric: m, hlep: x}, b: [n], c: {help: h}}\n",
                  "gleaner.yaml:3:27: unknown key \"hlep\" in parser.values.a\n"
                  "gleaner.yaml:3:40: parser.values.b must be a metric or a mapping {metric: ..., help: ...}\n"
                  "gleaner.yaml:3:48: parser.values.c needs \"metric\"\n"},
        BadConfig{"parser:\n  type: json\n  values: {m: {path: 'a..b'}}\n",
                  "gleaner.yaml:3:22: parser.values.m: bad path \"a..b\": empty key before '.'\n"},
        BadConfig{"parser:\n  type: nagios\n  metric: 'check disk'\n  warn: 1\n",
                  "gleaner.yaml:3:11: parser.metric: \"check disk\" is not a valid metric name "
                  "([a-zA-Z_:][a-zA-Z0-9_:]*)\n"
                  "gleaner.yaml:4:3: unknown key \"warn\" in parser\n"}),
    testing::ByIndex());

TEST(ReadParser, MissingParserNode) {
  config::ErrorList errors("gleaner.yaml");
  const YAML::Node collector = YAML::Load("name: x\n");
  EXPECT_EQ(read_parser(collector["parser"], errors), nullptr);
  EXPECT_EQ(errors.format(), "gleaner.yaml:0:0: the collector needs a \"parser\" mapping\n");
  const YAML::Node empty = YAML::Load("parser:\n");
  config::ErrorList more("gleaner.yaml");
  EXPECT_EQ(read_parser(empty["parser"], more), nullptr);
  // yaml-cpp marks an empty value where the next token starts.
  EXPECT_EQ(more.format(), "gleaner.yaml:2:1: parser must be a mapping (key: value), not nothing\n");
}

TEST(ReadParser, ErrorsAddToThoseAlreadyThere) {
  config::ErrorList errors("gleaner.yaml");
  errors.add(config::Mark{"other.yaml", 1, 1}, "earlier problem");
  const YAML::Node collector = YAML::Load("parser: {type: value, metric: ok}\n");
  EXPECT_NE(read_parser(collector["parser"], errors), nullptr);
  EXPECT_EQ(errors.size(), 1u);
}

}  // namespace
}  // namespace gleaner::plugins::exec
