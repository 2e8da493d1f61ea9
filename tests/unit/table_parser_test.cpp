#include "common/parsers/table_parser.h"

#include <gtest/gtest.h>

#include <chrono>

#include "tests/support/fixtures.h"
#include "tests/support/hostile_inputs.h"
#include "tests/support/parser_checks.h"

namespace gleaner::parsers {
namespace {

using metrics::MetricType;
using testing::find_sample;
using testing::parsed_valid;
using testing::value_of;

constexpr double kGi = 1024.0 * 1024 * 1024;

ParseOutput parse(std::string_view text, TableOptions options) {
  return TableParser(std::move(options)).parse(ParseInput{text});
}

TableOptions df_options() {
  TableOptions options;
  options.columns = {"filesystem", "size", "used", "avail", "use", "mountpoint"};
  options.labels = {"filesystem", "mountpoint"};
  options.values = {{"size", "fs_size_bytes"}, {"used", "fs_used_bytes"}, {"use", "fs_used_ratio"}};
  return options;
}

TEST(TableParser, ReadsDfHumanWithNamedColumns) {
  for (const char* fixture : {"parsers/df_h.txt", "parsers/df_hP.txt"}) {
    const auto output = parse(testing::read_fixture(fixture), df_options());
    ASSERT_TRUE(parsed_valid(output)) << fixture;
    ASSERT_EQ(output.families.size(), 3u);
    EXPECT_EQ(output.families[0].name, "fs_size_bytes");
    EXPECT_EQ(output.families[0].type, MetricType::gauge);
    EXPECT_EQ(output.families[0].samples.size(), 5u);
    EXPECT_DOUBLE_EQ(value_of(output.families, "fs_size_bytes", {{"mountpoint", "/"}}), 252 * kGi);
    EXPECT_DOUBLE_EQ(value_of(output.families, "fs_used_ratio", {{"mountpoint", "/"}}), 0.18);
    EXPECT_DOUBLE_EQ(value_of(output.families, "fs_used_bytes", {{"mountpoint", "/dev"}}), 0);
    // The last column keeps its spaces.
    const auto* backup = find_sample(output.families, "fs_size_bytes", {{"mountpoint", "/mnt/backup disk"}});
    ASSERT_NE(backup, nullptr) << fixture;
    EXPECT_EQ(backup->labels, (metrics::Labels{{"filesystem", "/dev/vdb1"}, {"mountpoint", "/mnt/backup disk"}}));
    EXPECT_DOUBLE_EQ(backup->value, 98 * kGi);
  }
}

// The header's last column takes the rest of the line, as a row's does,
// when the configuration names it: df's "Mounted on". Real `df -hl` output.
TEST(TableParser, DfHeaderNamesItsLastColumnWithASpace) {
  TableOptions options;
  options.labels = {"Filesystem", "Mounted on"};
  options.values = {{"Size", "fs_size_bytes"}, {"Use%", "fs_used_ratio"}};
  const auto output = parse(testing::read_fixture("parsers/df_hl.txt"), options);
  ASSERT_TRUE(parsed_valid(output));
  EXPECT_EQ(output.skipped, 0u);
  ASSERT_EQ(output.families.size(), 2u);
  EXPECT_EQ(output.families[0].samples.size(), 4u);
  const auto* root = find_sample(output.families, "fs_size_bytes", {{"Mounted_on", "/"}});
  ASSERT_NE(root, nullptr);
  EXPECT_EQ(root->labels, (metrics::Labels{{"Filesystem", "/dev/vda"}, {"Mounted_on", "/"}}));
  EXPECT_DOUBLE_EQ(root->value, 252 * kGi);
  EXPECT_DOUBLE_EQ(value_of(output.families, "fs_used_ratio", {{"Mounted_on", "/sys/fs/cgroup"}}), 0);
  // A mount point with spaces stays whole, whatever blanks the header has.
  options.values = {{"Size", "fs_size_bytes"}};
  const auto spaced = parse("Filesystem  Size Mounted   on\n/dev/sdb1 1G /mnt/backup disk\n", options);
  ASSERT_TRUE(parsed_valid(spaced));
  EXPECT_NE(find_sample(spaced.families, "fs_size_bytes", {{"Mounted_on", "/mnt/backup disk"}}), nullptr);
}

TEST(TableParser, DashMeansNoSample) {
  TableOptions options;
  options.columns = {"filesystem", "inodes", "iused", "ifree", "iuse", "mountpoint"};
  options.labels = {"mountpoint"};
  options.values = {{"inodes", "fs_inodes"}, {"iuse", "fs_inodes_used_ratio"}};
  const auto output = parse(testing::read_fixture("parsers/df_i.txt"), options);
  ASSERT_TRUE(parsed_valid(output));
  EXPECT_DOUBLE_EQ(value_of(output.families, "fs_inodes", {{"mountpoint", "/boot/efi"}}), 0);
  EXPECT_EQ(find_sample(output.families, "fs_inodes_used_ratio", {{"mountpoint", "/boot/efi"}}), nullptr);
  EXPECT_DOUBLE_EQ(value_of(output.families, "fs_inodes_used_ratio", {{"mountpoint", "/"}}), 0.03);
}

TEST(TableParser, ReadsPsAuxWithHeaderNames) {
  TableOptions options;
  options.labels = {"PID", "USER", "COMMAND"};
  options.values = {{"%CPU", "process_cpu_percent"}, {"RSS", "process_rss_kib"}};
  const auto output = parse(testing::read_fixture("parsers/ps_aux.txt"), options);
  ASSERT_TRUE(parsed_valid(output));
  EXPECT_EQ(output.families[0].samples.size(), 21u);
  const auto* postgres = find_sample(output.families, "process_rss_kib", {{"PID", "702"}});
  ASSERT_NE(postgres, nullptr);
  EXPECT_EQ(postgres->labels[2].value,
            "/usr/lib/postgresql/15/bin/postgres -D /var/lib/postgresql/15/main -c "
            "config_file=/etc/postgresql/15/main/postgresql.conf");
  EXPECT_DOUBLE_EQ(postgres->value, 29480);
  EXPECT_DOUBLE_EQ(value_of(output.families, "process_cpu_percent", {{"PID", "901"}}), 2.3);
  // The trailing blank after a command is not part of the label.
  EXPECT_EQ(find_sample(output.families, "process_rss_kib", {{"PID", "731"}})->labels[2].value,
            "postgres: 15/main: checkpointer");
}

TEST(TableParser, LabelNamesAreSanitizedColumnNames) {
  TableOptions options;
  options.labels = {"%MEM", "START"};
  options.values = {{"PID", "process_id"}};
  const auto output = parse("PID %MEM START\n1 0.1 Apr23\n2 0.2 09:12\n", options);
  ASSERT_TRUE(parsed_valid(output));
  EXPECT_EQ(output.families[0].samples[0].labels, (metrics::Labels{{"_MEM", "0.1"}, {"START", "Apr23"}}));
}

// free's header has one name fewer than its rows, so `columns` names them;
// its Swap row is shorter than its Mem row: the missing columns give no
// value. trim_labels makes "Mem:" Mem. Real `free -b` output.
TEST(TableParser, ReadsFreeWithShorterRowsAndTrimmedLabels) {
  TableOptions options;
  options.columns = {"kind", "total", "used", "free", "shared", "buff_cache", "available"};
  options.labels = {"kind"};
  options.values = {{"total", "memory_total_bytes"}, {"available", "memory_available_bytes"}};
  options.trim_labels = ":";
  for (const char* fixture : {"parsers/free_b.txt", "parsers/free_b_debian12.txt"}) {
    const auto output = parse(testing::read_fixture(fixture), options);
    ASSERT_TRUE(parsed_valid(output)) << fixture;
    EXPECT_EQ(output.skipped, 0u) << fixture;
    EXPECT_DOUBLE_EQ(value_of(output.families, "memory_total_bytes", {{"kind", "Swap"}}), 0) << fixture;
    EXPECT_EQ(find_sample(output.families, "memory_available_bytes", {{"kind", "Swap"}}), nullptr) << fixture;
    ASSERT_NE(find_sample(output.families, "memory_available_bytes", {{"kind", "Mem"}}), nullptr) << fixture;
  }
  const auto output = parse(testing::read_fixture("parsers/free_b.txt"), options);
  EXPECT_DOUBLE_EQ(value_of(output.families, "memory_total_bytes", {{"kind", "Mem"}}), 25276502016);
  EXPECT_DOUBLE_EQ(value_of(output.families, "memory_available_bytes", {{"kind", "Mem"}}), 23368982528);
  // Without trim_labels the label is as printed.
  options.trim_labels = "";
  EXPECT_NE(find_sample(parse(testing::read_fixture("parsers/free_b.txt"), options).families, "memory_total_bytes",
                        {{"kind", "Mem:"}}),
            nullptr);
}

TEST(TableParser, ReadsVmstatSkippingItsFirstLine) {
  TableOptions options;
  options.skip_lines = 1;
  options.values = {{"r", "procs_running"}, {"free", "memory_free_kib"}, {"id", "cpu_idle_percent"}};
  // Three rows without labels are three series of one name: a duplicate.
  auto strict = options;
  strict.on_error = OnError::fail;
  const auto all = parse(testing::read_fixture("parsers/vmstat.txt"), strict);
  EXPECT_EQ(all.error, "line 4: duplicate series procs_running");
  // One sample line is what `vmstat` alone prints.
  const std::string text = testing::read_fixture("parsers/vmstat.txt");
  std::size_t third_line_end = 0;
  for (int line = 0; line < 3; ++line) third_line_end = text.find('\n', third_line_end) + 1;
  const std::string single = text.substr(0, third_line_end);
  const auto output = parse(single, options);
  ASSERT_TRUE(parsed_valid(output)) << single;
  EXPECT_DOUBLE_EQ(value_of(output.families, "procs_running"), 4);
  EXPECT_DOUBLE_EQ(value_of(output.families, "memory_free_kib"), 20796984);
  EXPECT_DOUBLE_EQ(value_of(output.families, "cpu_idle_percent"), 75);
}

TEST(TableParser, WithoutHeader) {
  TableOptions options;
  options.header = false;
  options.columns = {"name", "value"};
  options.labels = {"name"};
  options.values = {{"value", "thing"}};
  const auto output = parse("a 1\n\nb 2\n", options);
  ASSERT_TRUE(parsed_valid(output));
  EXPECT_EQ(output.families[0].samples.size(), 2u);
}

TEST(TableParser, ColumnsWithHeaderSkipTheHeaderLine) {
  TableOptions options;
  options.columns = {"name", "value"};
  options.labels = {"name"};
  options.values = {{"value", "thing"}};
  const auto output = parse("\n  \nNAME VALUE\na 1\n", options);
  ASSERT_TRUE(parsed_valid(output));
  EXPECT_EQ(output.families[0].samples.size(), 1u);
}

TEST(TableParser, CountsTypeAndCrlf) {
  TableOptions options;
  options.labels = {"iface"};
  options.values = {{"rx", "rx_bytes_total"}};
  options.type = MetricType::counter;
  const auto output = parse("iface rx\r\neth0 1.5K\r\nlo 0\r\n", options);
  ASSERT_TRUE(parsed_valid(output));
  EXPECT_EQ(output.families[0].type, MetricType::counter);
  EXPECT_DOUBLE_EQ(value_of(output.families, "rx_bytes_total", {{"iface", "eth0"}}), 1536);
  EXPECT_EQ(output.families[0].samples[1].labels[0].value, "lo");
}

TEST(TableParser, HeaderOnlyGivesNoFamilies) {
  TableOptions options;
  options.values = {{"a", "m"}};
  const auto output = parse("a b\n", options);
  ASSERT_TRUE(parsed_valid(output));
  EXPECT_TRUE(output.families.empty());
}

TEST(TableParser, ErrorsNameTheLineAndColumn) {
  TableOptions options;
  options.labels = {"name"};
  options.values = {{"size", "thing_bytes"}};
  options.on_error = OnError::fail;
  EXPECT_EQ(parse("", options).error, "expected a header line, got no output");
  EXPECT_EQ(parse("size name\n1 a\n2\n", options).error,
            "line 3: no value for the label column \"name\" (column 2; the row has 1): \"2\"");
  EXPECT_EQ(parse("name size\na 1\nb big\n", options).error, "line 3: column \"size\": expected a number, got \"big\"");
  EXPECT_EQ(parse("name size\na 1\na 2\n", options).error, "line 3: duplicate series thing_bytes{name=\"a\"}");
  EXPECT_EQ(parse("name bytes\na 1\n", options).error,
            "line 1: header: no column \"size\" (columns: \"name\", \"bytes\")");
  EXPECT_EQ(parse("size name size\n1 a 2\n", options).error, "line 1: header: column \"size\" appears twice");
}

TEST(TableParser, InvalidOptions) {
  TableOptions options;
  EXPECT_EQ(check_options(options), "values must map at least one column to a metric");
  options.values = {{"a", "bad-name"}};
  EXPECT_EQ(check_options(options), "values.a: \"bad-name\" is not a valid metric name ([a-zA-Z_:][a-zA-Z0-9_:]*)");
  options.values = {{"a", "m"}, {"b", "m"}};
  EXPECT_EQ(check_options(options), "values: two columns give the metric \"m\"");
  options.values = {{"a", "m"}};
  options.header = false;
  EXPECT_EQ(check_options(options), "without a header row, columns must name the columns");
  options.columns = {"a", "b"};
  options.labels = {"c"};
  EXPECT_EQ(check_options(options), "no column \"c\" (columns: \"a\", \"b\")");
  options.columns = {"%a", "_a"};
  options.labels = {"%a", "_a"};
  options.values = {{"%a", "m"}};
  EXPECT_EQ(check_options(options), "two label columns make the label name \"_a\"");
  EXPECT_FALSE(parse("x", options).ok());
}

TEST(TableParser, InvalidUtf8AndNulInLabelsAreReplaced) {
  TableOptions options;
  options.header = false;
  options.columns = {"name", "value"};
  options.labels = {"name"};
  options.values = {{"value", "m"}};
  const auto output = parse(std::string("caf\xe9 1\nx\0y 2\n", 13), options);
  ASSERT_TRUE(parsed_valid(output));
  EXPECT_EQ(output.families[0].samples[0].labels[0].value, "caf\xEF\xBF\xBD");
  EXPECT_EQ(output.families[0].samples[1].labels[0].value, "x\xEF\xBF\xBDy");
}

TEST(TableParser, AHeaderColumnCannotBecomeTheReservedLabel) {
  TableOptions options;
  options.labels = {"__name__"};
  options.values = {{"v", "m"}};
  EXPECT_EQ(parse("__name__ v\nx 1\n", options).error,
            "line 1: header: the column \"__name__\" cannot be a label: \"__name__\" is reserved");
}

TEST(TableParser, HostileInputsGiveAnErrorOrValidFamilies) {
  TableOptions with_header;
  with_header.labels = {"a"};
  with_header.values = {{"b", "m"}};
  TableOptions named;
  named.header = false;
  named.columns = {"name", "value"};
  named.labels = {"name"};
  named.values = {{"value", "m"}};
  for (const auto& input : testing::hostile_inputs()) {
    EXPECT_TRUE(testing::error_or_valid(parse(input.text, with_header))) << input.name;
    const auto output = parse(input.text, named);
    EXPECT_TRUE(testing::error_or_valid(output)) << input.name;
    EXPECT_LT(output.error.size(), 200u) << input.name;
  }
}

// Found by tests/fuzz: a header of thousands of words made a message that
// listed every one of them.
TEST(TableParser, AMissingColumnNamesOnlyTheFirstFewColumns) {
  TableOptions options;
  options.values = {{"size", "thing_bytes"}};
  std::string header;
  for (int i = 0; i < 10000; ++i) header += "c" + std::to_string(i) + " ";
  const auto output = parse(header + "\n1\n", options);
  EXPECT_EQ(output.error,
            "line 1: header: no column \"size\" (columns: \"c0\", \"c1\", \"c2\", \"c3\", \"c4\", \"c5\" and 9994 more)");
}

// How fast is for tests/bench; here only that a large table reads whole.
TEST(TableParser, TenThousandRows) {
  std::string text = "Filesystem 1B-blocks Used Available Use% Mounted on\n";
  for (int i = 0; i < 10000; ++i) {
    text += "/dev/sd" + std::to_string(i) + " 270552530944 17690525696 252861714432 7% /srv/data " + std::to_string(i) +
            "\n";
  }
  TableOptions options = df_options();
  const auto output = parse(text, options);
  ASSERT_TRUE(parsed_valid(output));
  EXPECT_EQ(testing::sample_count(output.families), 30000u);
}

}  // namespace
}  // namespace gleaner::parsers

namespace gleaner::parsers {
namespace {

TableOptions name_size_options() {
  TableOptions options;
  options.labels = {"name"};
  options.values = {{"size", "thing_bytes"}};
  return options;
}

TEST(TableParserSkip, BadRowsAreLeftOutAndCounted) {
  const auto output = parse("name size\na 1\nb big\nc 3\n", name_size_options());
  ASSERT_TRUE(parsed_valid(output));
  EXPECT_EQ(output.families[0].samples.size(), 2u);
  EXPECT_DOUBLE_EQ(value_of(output.families, "thing_bytes", {{"name", "c"}}), 3);
  EXPECT_EQ(output.skipped, 1u);
  EXPECT_EQ(output.first_skipped, "line 3: column \"size\": expected a number, got \"big\"");
  auto strict = name_size_options();
  strict.on_error = OnError::fail;
  EXPECT_EQ(parse("name size\na 1\nb big\nc 3\n", strict).error,
            "line 3: column \"size\": expected a number, got \"big\"");
}

// A row whose labels an earlier row had is dropped whole, even its values
// the earlier row lacked.
TEST(TableParserSkip, ADuplicateRowIsDroppedWhole) {
  TableOptions options;
  options.labels = {"name"};
  options.values = {{"x", "x_total"}, {"y", "y_total"}};
  const auto output = parse("name x y\na - 2\na 3 4\nb 5 6\n", options);
  ASSERT_TRUE(parsed_valid(output));
  EXPECT_EQ(find_sample(output.families, "x_total", {{"name", "a"}}), nullptr);
  EXPECT_DOUBLE_EQ(value_of(output.families, "y_total", {{"name", "a"}}), 2);
  EXPECT_DOUBLE_EQ(value_of(output.families, "x_total", {{"name", "b"}}), 5);
  EXPECT_EQ(output.skipped, 1u);
  EXPECT_EQ(output.first_skipped, "line 3: duplicate series y_total{name=\"a\"}");
}

TEST(TableParserSkip, NothingValidStillFails) {
  EXPECT_EQ(parse("name size\na big\n", name_size_options()).error,
            "line 2: column \"size\": expected a number, got \"big\"");
  // A header alone has no bad line: no series, no error (a stream's header record).
  EXPECT_TRUE(parse("name size\n", name_size_options()).ok());
}

TEST(TableParser, ARowWithoutALabelColumnIsBad) {
  TableOptions options;
  options.labels = {"name"};
  options.values = {{"size", "thing_bytes"}};
  const auto output = parse("size name\n1 a\n2\n", options);
  ASSERT_TRUE(parsed_valid(output));
  EXPECT_EQ(output.skipped, 1u);
  EXPECT_EQ(output.first_skipped, "line 3: no value for the label column \"name\" (column 2; the row has 1): \"2\"");
}

TEST(TableParser, HelpPerMetric) {
  auto options = name_size_options();
  options.values.emplace_back("used", "used_bytes");
  options.help = {{"thing_bytes", "Size of the thing."}};
  const auto output = parse("name size used\na 1 2\n", options);
  ASSERT_TRUE(parsed_valid(output));
  EXPECT_EQ(output.families[0].help, "Size of the thing.");
  EXPECT_EQ(output.families[1].help, "");
  options.help = {{"nope", "x"}};
  EXPECT_EQ(check_options(options), "help: \"nope\" is none of the parser's metrics");
}

TEST(TableParser, TrimLabelsTakesCharactersOffBothEnds) {
  TableOptions options;
  options.header = false;
  options.columns = {"name", "value"};
  options.labels = {"name"};
  options.values = {{"value", "m"}};
  options.trim_labels = ":[]";
  const auto output = parse("[eth0]: 1\nlo:: 2\n", options);
  ASSERT_TRUE(parsed_valid(output));
  EXPECT_EQ(output.families[0].samples[0].labels[0].value, "eth0");
  EXPECT_EQ(output.families[0].samples[1].labels[0].value, "lo");
}

}  // namespace
}  // namespace gleaner::parsers
