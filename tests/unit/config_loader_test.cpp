// Loading the configuration: typed values, includes, and every kind of
// error reported at once with its exact FILE:LINE:COLUMN.

#include "daemon/config/config_loader.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <stdlib.h>
#include <sys/stat.h>
#include <unistd.h>
#include <yaml-cpp/yaml.h>

#include <filesystem>
#include <fstream>

#include "tests/support/scratch_dir.h"

namespace gleaner::daemon {
namespace {

using namespace std::chrono_literals;
using ::testing::ElementsAre;
using ::testing::HasSubstr;

// The user that files are given to, to be owned by someone gleaner does not
// trust (the tests run as root).
constexpr uid_t kNobody = 65534;

class ConfigLoaderTest : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = scratch_.path().string();
  }

  std::string write(const std::string& name, const std::string& text) {
    const auto path = dir_ + "/" + name;
    std::filesystem::create_directories(std::filesystem::path(path).parent_path());
    std::ofstream(path) << text;
    return path;
  }

  LoadResult load(const std::string& text) { return load_config_file(write("gleaner.yaml", text), {}); }

  // Every error of a load, as printed.
  std::vector<std::string> errors(const std::string& text) {
    std::vector<std::string> lines;
    const auto result = load(text);
    for (const auto& error : result.errors.errors()) lines.push_back(error.format());
    return lines;
  }

  std::string file() const { return dir_ + "/gleaner.yaml"; }
  gleaner::testing::ScratchDir scratch_;  // removed with its files after the test
  std::string dir_;
};

TEST_F(ConfigLoaderTest, ReadsEverySettingWithDefaultsApplied) {
  const auto result = load(R"yaml(listen: "[::]:9100"
metrics_path: /m
log_level: debug
defaults: {interval: 1m, timeout: 5s, max_output: 64KiB}
limits: {max_concurrent: 4, max_series: 500}
collectors:
  - name: disk
    plugin: df
    interval: 15s
    labels: {team: infra, site: "dc 1"}
    options: {exclude_fs_types: [tmpfs], exclude_mountpoints: "^/run($|/)"}
  - name: other_disk
    plugin: df
)yaml");
  ASSERT_TRUE(result.config) << result.errors.format();
  const auto& config = *result.config;
  EXPECT_EQ(config.listen, "[::]:9100");
  EXPECT_EQ(config.metrics_path, "/m");
  EXPECT_EQ(config.log_level, "debug");
  EXPECT_EQ(config.limits.max_concurrent, 4u);
  EXPECT_EQ(config.limits.max_series, 500u);
  ASSERT_EQ(config.collectors.size(), 2u);
  const auto& disk = config.collectors[0].settings;
  EXPECT_EQ(disk.name, "disk");
  EXPECT_EQ(disk.plugin, "df");
  EXPECT_EQ(disk.interval, 15s);
  EXPECT_EQ(disk.timeout, 5s);
  EXPECT_EQ(disk.max_output, 65536u);
  EXPECT_EQ(disk.labels, (metrics::Labels{{"team", "infra"}, {"site", "dc 1"}}));
  EXPECT_EQ(config.collectors[1].settings.interval, 1min);
  EXPECT_NE(config.collectors[0].collector, nullptr);
  EXPECT_EQ(config.collectors[0].mark.line, 7);
}

TEST_F(ConfigLoaderTest, DefaultsWhenKeysAreAbsent) {
  const auto result = load("collectors: []\n");
  ASSERT_TRUE(result.config) << result.errors.format();
  EXPECT_EQ(result.config->listen, "127.0.0.1:9947");
  EXPECT_EQ(result.config->metrics_path, "/metrics");
  EXPECT_EQ(result.config->defaults.interval, 30s);
  EXPECT_EQ(result.config->defaults.timeout, 10s);
  EXPECT_EQ(result.config->defaults.max_output, 1024u * 1024u);
  EXPECT_EQ(result.config->limits.max_concurrent, 16u);
}

TEST_F(ConfigLoaderTest, IncludesAddCollectorsRelativeToTheMainFile) {
  write("conf.d/b.yaml", "collectors:\n  - {name: b, plugin: df}\n");
  write("conf.d/a.yaml", "collectors:\n  - {name: a, plugin: df}\n");
  write("conf.d/empty.yaml", "");
  write("conf.d/ignored.txt", "not yaml: [");
  const auto result = load("include: [\"conf.d/*.yaml\"]\ncollectors:\n  - {name: main, plugin: df}\n");
  ASSERT_TRUE(result.config) << result.errors.format();
  std::vector<std::string> names;
  for (const auto& c : result.config->collectors) names.push_back(c.settings.name);
  EXPECT_THAT(names, ElementsAre("main", "a", "b"));
}

TEST_F(ConfigLoaderTest, ErrorsInAnIncludedFileNameThatFile) {
  const auto included = write("conf.d/bad.yaml", "collectors:\n  - name: x\n    plugin: df\n    colour: red\n");
  const auto lines = errors("include: [\"conf.d/*.yaml\"]\n");
  EXPECT_THAT(lines, ElementsAre(included + ":4:5: unknown key \"colour\" in collector"));
}

TEST_F(ConfigLoaderTest, YamlSyntaxErrorHasItsPosition) {
  const auto lines = errors("collectors:\n  - name: [unclosed\n");
  ASSERT_EQ(lines.size(), 1u);
  EXPECT_THAT(lines[0], ::testing::StartsWith(file() + ":3:1: YAML: "));
}

TEST_F(ConfigLoaderTest, EveryErrorIsReportedAtOnceWithItsPosition) {
  const auto lines = errors(R"yaml(listen: nowhere
colour: blue
defaults:
  interval: fast
  timeout: 10
limits: {max_concurrent: 0}
collectors:
  - name: disk
    plugin: df
    interval: 1h30
  - name: disk
    plugin: df
  - name: "bad name"
    plugin: df
  - name: mystery
    plugin: nosuch
  - name: opts
    plugin: df
    options: {local_only: maybe, exclude_mountpoints: "(", shiny: 1}
  - plugin: df
  - name: labelled
    plugin: df
    labels: {collector: x, "9lives": y}
)yaml");
  const std::string f = file();
  EXPECT_THAT(lines, ElementsAre(
      f + ":1:9: listen: \"nowhere\": expected HOST:PORT, e.g. 127.0.0.1:9947, or :9947 for every interface",
      f + ":4:13: defaults.interval: bad duration \"fast\" (write e.g. 250ms, 15s, 1m, 1h30m)",
      f + ":5:12: defaults.timeout: bad duration \"10\" (write e.g. 250ms, 15s, 1m, 1h30m)",
      f + ":6:26: limits.max_concurrent must be a whole number from 1 to 4096, not \"0\"",
      f + ":10:15: collector.interval: bad duration \"1h30\" (write e.g. 250ms, 15s, 1m, 1h30m)",
      f + ":11:11: duplicate collector name \"disk\" (first defined at " + f + ":8:11)",
      f + ":13:11: collector name \"bad name\" must match [a-zA-Z_][a-zA-Z0-9_]*",
      f + ":16:13: unknown plugin \"nosuch\" (known: apt, chrony, df, exec, ipmi, mdraid, nvme, smartmon, textfile)",
      f + ":19:27: options.local_only must be true or false, not \"maybe\"",
      f + ":19:55: options.exclude_mountpoints: bad regex: missing ): (",
      f + ":19:60: unknown key \"shiny\" in options",
      f + ":20:5: collector needs \"name\"",
      f + ":23:14: labels: \"collector\" is set by gleaner itself",
      f + ":23:28: labels: \"9lives\" is not a valid label name",
      f + ":2:1: unknown key \"colour\" in configuration"));
}

TEST_F(ConfigLoaderTest, ReadsTextfileOptions) {
  const auto result = load(R"yaml(collectors:
  - name: textfile
    plugin: textfile
    options: {directory: /var/lib/gleaner/textfile/, max_age: 1h, max_file_size: 1MiB}
)yaml");
  ASSERT_TRUE(result.config) << result.errors.format();
  EXPECT_EQ(result.config->collectors.at(0).settings.plugin, "textfile");
}

TEST_F(ConfigLoaderTest, TextfileOptionErrorsNameTheirPlace) {
  const auto lines = errors(R"yaml(collectors:
  - name: relative
    plugin: textfile
    options: {directory: textfile, max_age: soon, max_file_size: 2GiB, recursive: true}
  - name: none
    plugin: textfile
  - name: nodir
    plugin: textfile
    options: {max_age: 0s}
)yaml");
  const std::string f = file();
  EXPECT_THAT(lines, ElementsAre(
      f + ":4:26: options.directory: \"textfile\" is not an absolute path (it must start with /)",
      f + ":4:45: options.max_age: bad duration \"soon\" (write e.g. 250ms, 15s, 1m, 1h30m)",
      f + ":4:66: options.max_file_size: must be from 1 byte to 1GiB",
      f + ":4:72: unknown key \"recursive\" in options",
      f + ":5:5: the textfile plugin needs options: {directory: PATH}",
      f + ":9:14: options needs \"directory\"",
      f + ":9:24: options.max_age: must be longer than 0"));
}

TEST_F(ConfigLoaderTest, WrongTypesAreErrors) {
  const auto lines = errors("collectors: {name: x}\nlog_level: [info]\n");
  EXPECT_THAT(lines, ElementsAre(file() + ":2:12: configuration.log_level must be a string, not a list",
                                 file() + ":1:13: collectors must be a list of collectors"));
}

TEST_F(ConfigLoaderTest, AllowBackgroundIsTrueOrFalse) {
  EXPECT_TRUE(load("collectors:\n  - {name: a, plugin: exec, shell: 'echo a 1', allow_background: true}\n").config);
  const auto lines = errors("collectors:\n  - {name: a, plugin: exec, shell: 'echo a 1', allow_background: sometimes}\n");
  ASSERT_EQ(lines.size(), 1u);
  EXPECT_THAT(lines[0], HasSubstr(file() + ":2:66: "));
  EXPECT_THAT(lines[0], HasSubstr("allow_background must be true or false, not"));
}

TEST_F(ConfigLoaderTest, UnknownLogLevelListsTheChoices) {
  EXPECT_THAT(errors("log_level: loud\n"),
              ElementsAre(file() + ":1:12: configuration.log_level: unknown value \"loud\" (one of: trace, debug, "
                                   "info, warn, warning, error)"));
}

// README "What is logged": log_format picks the format; "warning" is a level.
TEST_F(ConfigLoaderTest, LogFormatAndTheWarningLevel) {
  const auto result = load("log_level: warning\nlog_format: logfmt\ncollectors: []\n");
  ASSERT_TRUE(result.config) << result.errors.format();
  EXPECT_EQ(result.config->log_level, "warning");
  EXPECT_EQ(result.config->log_format, "logfmt");
  const auto defaults = load("collectors: []\n");
  ASSERT_TRUE(defaults.config) << defaults.errors.format();
  EXPECT_EQ(defaults.config->log_format, "text");
  EXPECT_THAT(errors("collectors: []\nlog_format: yaml\n"),
              ElementsAre(file() + ":2:13: configuration.log_format: unknown value \"yaml\" (one of: text, json, "
                                   "logfmt)"));
  EXPECT_THAT(errors("log_format: [json]\n"),
              ElementsAre(file() + ":1:13: configuration.log_format must be a string, not a list"));
}

TEST_F(ConfigLoaderTest, DuplicateYamlKeysAreErrors) {
  EXPECT_THAT(errors("listen: \":1\"\nlisten: \":2\"\n"),
              ElementsAre(file() + ":2:1: duplicate key \"listen\" in configuration"));
}

TEST_F(ConfigLoaderTest, EmptyFileAndMissingFile) {
  EXPECT_THAT(errors(""), ElementsAre(file() + ":1:1: the configuration is empty"));
  const auto missing = load_config_file(dir_ + "/missing.yaml", {});
  EXPECT_FALSE(missing.config);
  EXPECT_THAT(missing.errors.format(), HasSubstr("missing.yaml:0:0: cannot read the configuration file"));
}

// A duration becomes steady_clock nanoseconds when a timer is set: beyond
// what that can hold, a run would time out at once, every time.
TEST_F(ConfigLoaderTest, DurationsTheClockCannotHoldAreRefusedWithTheirPosition) {
  EXPECT_THAT(errors("defaults:\n  timeout: 9999999h\ncollectors:\n"
                     "  - name: a\n    plugin: df\n    interval: 1000000d\n"),
              ElementsAre(file() + ":2:12: defaults.timeout: \"9999999h\" is longer than gleaner can time (at most 36500d)",
                          file() + ":6:15: collector.interval: \"1000000d\" is longer than gleaner can time (at most 36500d)"));
}

TEST_F(ConfigLoaderTest, DurationsAbsurdForTheirKeyAreRefused) {
  EXPECT_THAT(errors("defaults: {interval: 8d, timeout: 25h}\ncollectors:\n"
                     "  - name: a\n    plugin: df\n    interval: 30d\n    timeout: 2d\n"),
              ElementsAre(file() + ":1:22: interval must be at most 7d", file() + ":1:35: timeout must be at most 1d",
                          file() + ":5:15: interval must be at most 7d", file() + ":6:14: timeout must be at most 1d"));
  const auto longest = load("defaults: {interval: 7d, timeout: 1d}\ncollectors: []\n");
  ASSERT_TRUE(longest.config) << longest.errors.format();
  EXPECT_EQ(longest.config->defaults.interval, 7 * 24h);
  EXPECT_EQ(longest.config->defaults.timeout, 24h);
}

TEST_F(ConfigLoaderTest, ADirectoryIsNotAConfigurationFile) {
  const auto result = load_config_file(dir_, {});
  EXPECT_FALSE(result.config);
  EXPECT_EQ(result.errors.format(), dir_ + ":0:0: " + dir_ + " is a directory, not a configuration file\n");
}

TEST_F(ConfigLoaderTest, AFileMatchedByTwoIncludePatternsIsReadOnce) {
  write("conf.d/a.yaml", "collectors:\n  - {name: a, plugin: df}\n");
  write("conf.d/b.yaml", "collectors:\n  - {name: b, plugin: df}\n");
  const auto result = load("include: [\"conf.d/a.yaml\", \"conf.d/*.yaml\", \"./conf.d/a.yaml\"]\n");
  ASSERT_TRUE(result.config) << result.errors.format();
  std::vector<std::string> names;
  for (const auto& c : result.config->collectors) names.push_back(c.settings.name);
  EXPECT_THAT(names, ElementsAre("a", "b"));
}

TEST_F(ConfigLoaderTest, AMissingExecutableIsAWarningUnlessStrict) {
  const auto path = write("gleaner.yaml", "collectors:\n  - {name: smart, plugin: exec, command: [gleaner-no-such-program]}\n");
  const auto warned = load_config_file(path, {plugins::MissingExecutable::warning});
  ASSERT_TRUE(warned.config) << warned.errors.format();
  EXPECT_EQ(warned.errors.format_warnings(),
            path + ":2:42: warning: gleaner-no-such-program: not found on PATH "
                   "/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin (its runs fail with reason spawn "
                   "until it is installed)\n");
  const auto strict = load_config_file(path, {plugins::MissingExecutable::error});
  EXPECT_FALSE(strict.config);
  EXPECT_THAT(strict.errors.format(), HasSubstr(path + ":2:42: gleaner-no-such-program: not found on PATH"));
  EXPECT_EQ(strict.errors.format_warnings(), "");
  // Start-up and reload do not look: each run fails with reason spawn.
  const auto unchecked = load_config_file(path, {});
  ASSERT_TRUE(unchecked.config);
  EXPECT_TRUE(unchecked.errors.warnings().empty());
}

// Found by tests/fuzz: a quoted line break in a value made an error message
// of two lines, the second without its FILE:LINE:COLUMN.
TEST_F(ConfigLoaderTest, ErrorsStayOnOneLineWhateverTheyQuote) {
  EXPECT_THAT(errors("log_level: \"lo\\nud\\r\\x1b\"\n"),
              ElementsAre(file() + ":1:12: configuration.log_level: unknown value \"lo\\nud\\r\\x1b\" (one of: trace, "
                                   "debug, info, warn, warning, error)"));
}

// Found by tests/fuzz: an exec parser without `type` made the exec plugin's
// yaml-cpp lookup throw out of the loader (a reload would end the daemon).
TEST_F(ConfigLoaderTest, APluginThatThrowsGivesAnErrorAtItsCollector) {
  const auto lines = errors("collectors:\n  - name: a\n    plugin: exec\n    command: [echo]\n    parser: {metric: m}\n");
  ASSERT_EQ(lines.size(), 1u);
  EXPECT_THAT(lines[0], ::testing::StartsWith(file() + ":2:5: plugin \"exec\" could not read this collector: "));
  EXPECT_THAT(lines[0], HasSubstr("\"type\""));
}

// Found by tests/fuzz: a web: block without its keys made the loader copy
// yaml-cpp's node for an absent key, which throws.
TEST_F(ConfigLoaderTest, WebSettingsThatAreMissingAreErrorsNotExceptions) {
  EXPECT_THAT(errors("web:\n  basic_auth: {usern, plugin: df}\n  tls: {}\n"),
              ElementsAre(file() + ":2:15: web.basic_auth needs \"username\"",
                          file() + ":2:15: web.basic_auth needs \"password_file\"",
                          file() + ":2:16: unknown key \"usern\" in web.basic_auth",
                          file() + ":2:23: unknown key \"plugin\" in web.basic_auth",
                          file() + ":3:8: web.tls needs \"cert_file\"", file() + ":3:8: web.tls needs \"key_file\""));
}

// An error about the value of an absent key has no place to point at, but
// is an error all the same: yaml-cpp throws when asked for that node's mark.
TEST(ConfigErrorList, AnAbsentKeysNodeGivesAnErrorWithoutAPlace) {
  config::ErrorList errors("gleaner.yaml");
  const YAML::Node map = YAML::Load("{a: 1}");
  errors.add(map["absent"], "something about it");
  ASSERT_EQ(errors.size(), 1u);
  EXPECT_EQ(errors.errors()[0].format(), "gleaner.yaml:0:0: something about it");
}

TEST_F(ConfigLoaderTest, PluginDirsAreNotSupportedYet) {
  EXPECT_THAT(errors("plugin_dirs: [/usr/lib/gleaner/plugins]\n"),
              ElementsAre(file() + ":1:14: plugin_dirs: shared-object plugins are not supported by this version"));
  EXPECT_TRUE(load("plugin_dirs: []\n").config);
}

TEST_F(ConfigLoaderTest, FingerprintChangesExactlyWithTheCollectorsConfiguration) {
  const auto first = load("collectors:\n  - {name: a, plugin: df}\n  - {name: b, plugin: df, interval: 5s}\n");
  const auto same = load("collectors:\n  - {name: a, plugin: df}\n  - {name: b, plugin: df, interval: 5s}\n");
  const auto changed = load("collectors:\n  - {name: a, plugin: df}\n  - {name: b, plugin: df, interval: 6s}\n");
  const auto defaults = load("defaults: {timeout: 3s}\ncollectors:\n  - {name: a, plugin: df}\n");
  ASSERT_TRUE(first.config && same.config && changed.config && defaults.config);
  EXPECT_EQ(first.config->collectors[0].fingerprint, same.config->collectors[0].fingerprint);
  EXPECT_EQ(first.config->collectors[1].fingerprint, same.config->collectors[1].fingerprint);
  EXPECT_EQ(first.config->collectors[0].fingerprint, changed.config->collectors[0].fingerprint);
  EXPECT_NE(first.config->collectors[1].fingerprint, changed.config->collectors[1].fingerprint);
  EXPECT_NE(first.config->collectors[0].fingerprint, defaults.config->collectors[0].fingerprint);
}

TEST_F(ConfigLoaderTest, AFileOthersCanWriteIsRefused) {
  const auto path = write("gleaner.yaml", "collectors: []\n");
  ::chmod(path.c_str(), 0664);
  EXPECT_THAT(load_config_file(path, {}).errors.format(),
              HasSubstr(path + ":0:0: " + path + " is writable by its group (mode 0664), so others could change what "
                        "gleaner runs or reads: chmod go-w " + path));
  ::chmod(path.c_str(), 0646);
  EXPECT_THAT(load_config_file(path, {}).errors.format(), HasSubstr("is writable by everyone (mode 0646)"));
  ::chmod(path.c_str(), 0644);
  EXPECT_TRUE(load_config_file(path, {}).config);
  ::chmod(dir_.c_str(), 0777);
  EXPECT_THAT(load_config_file(path, {}).errors.format(), HasSubstr(dir_ + " is writable by everyone (mode 0777)"));
  ::chmod(dir_.c_str(), 01777);  // sticky, like /tmp: others cannot replace our file
  EXPECT_TRUE(load_config_file(path, {}).config);
  ::chmod(dir_.c_str(), 0700);
}

TEST_F(ConfigLoaderTest, AnIncludedFileOthersCanWriteIsRefused) {
  const auto included = write("conf.d/a.yaml", "collectors: []\n");
  ::chmod(included.c_str(), 0666);
  EXPECT_THAT(errors("include: [\"conf.d/*.yaml\"]\n"),
              ElementsAre(included + ":0:0: " + included + " is writable by everyone (mode 0666), so others could "
                          "change what gleaner runs or reads: chmod go-w " + included));
}

// Symbolic links are followed to the file they lead to, and that file and
// every directory above it are judged, not the folder holding the link.
TEST_F(ConfigLoaderTest, AnIncludeLinkedIntoAFolderOthersCanWriteIsRefused) {
  const auto target = write("ww/x.yaml", "collectors: []\n");
  ::chmod((dir_ + "/ww").c_str(), 0777);
  std::filesystem::create_directories(dir_ + "/conf.d");
  std::filesystem::create_symlink("../ww/x.yaml", dir_ + "/conf.d/x.yaml");
  EXPECT_THAT(errors("include: [\"conf.d/*.yaml\"]\n"),
              ElementsAre(dir_ + "/conf.d/x.yaml:0:0: " + dir_ + "/conf.d/x.yaml leads to " + target + ": " + dir_ +
                          "/ww is writable by everyone (mode 0777), so others could change what gleaner runs or "
                          "reads: chmod go-w " + dir_ + "/ww"));
}

TEST_F(ConfigLoaderTest, AMainFileLinkedIntoAFolderOthersCanWriteIsRefused) {
  write("ww/real.yaml", "collectors: []\n");
  ::chmod((dir_ + "/ww").c_str(), 0775);
  std::filesystem::create_symlink("ww/real.yaml", file());
  EXPECT_THAT(load_config_file(file(), {}).errors.format(),
              HasSubstr(dir_ + "/ww is writable by its group (mode 0775), so others could change what gleaner runs "
                               "or reads: chmod go-w " + dir_ + "/ww"));
}

TEST_F(ConfigLoaderTest, AFileOwnedByAnotherUserIsRefused) {
  const auto path = write("gleaner.yaml", "collectors: []\n");
  ASSERT_EQ(::chown(path.c_str(), kNobody, kNobody), 0);
  EXPECT_THAT(load_config_file(path, {}).errors.format(),
              HasSubstr(path + ":0:0: " + path + " is owned by nobody (uid 65534), not by root, so its owner could "
                               "change what gleaner runs or reads: chown root " + path));
}

TEST_F(ConfigLoaderTest, AFolderOwnedByAnotherUserIsRefused) {
  const auto included = write("conf.d/a.yaml", "collectors: []\n");
  ASSERT_EQ(::chown((dir_ + "/conf.d").c_str(), kNobody, kNobody), 0);
  EXPECT_THAT(errors("include: [\"conf.d/*.yaml\"]\n"),
              ElementsAre(HasSubstr(dir_ + "/conf.d is owned by nobody (uid 65534)")));
}

// Like /tmp: others may add files, but not replace one a trusted user owns;
// a file that another user put there is theirs, so it is refused.
TEST_F(ConfigLoaderTest, InAStickyFolderOnlyFilesOfTrustedOwnersAreTaken) {
  const auto included = write("conf.d/a.yaml", "collectors: []\n");
  ::chmod((dir_ + "/conf.d").c_str(), 01777);
  EXPECT_THAT(errors("include: [\"conf.d/*.yaml\"]\n"), ElementsAre());
  ASSERT_EQ(::chown(included.c_str(), kNobody, kNobody), 0);
  EXPECT_THAT(errors("include: [\"conf.d/*.yaml\"]\n"),
              ElementsAre(HasSubstr(included + " is owned by nobody (uid 65534)")));
}

TEST_F(ConfigLoaderTest, ATlsKeyOrCertificateThatOthersControlIsRefusedAtItsKey) {
  write("ww/tls.key", "not read\n");
  write("tls.crt", "not read\n");
  ::chmod((dir_ + "/ww").c_str(), 0777);
  std::filesystem::create_symlink("ww/tls.key", dir_ + "/tls.key");
  ASSERT_EQ(::chown((dir_ + "/tls.crt").c_str(), kNobody, kNobody), 0);
  EXPECT_THAT(errors("web:\n  tls: {cert_file: tls.crt, key_file: tls.key}\ncollectors: []\n"),
              ElementsAre(file() + ":2:20: " + dir_ + "/tls.crt is owned by nobody (uid 65534), not by root, so its "
                                   "owner could change what gleaner runs or reads: chown root " + dir_ + "/tls.crt",
                          file() + ":2:39: " + dir_ + "/tls.key leads to " + dir_ + "/ww/tls.key: " + dir_ +
                              "/ww is writable by everyone (mode 0777), so others could change what gleaner runs "
                              "or reads: chmod go-w " + dir_ + "/ww"));
}

TEST_F(ConfigLoaderTest, APasswordFileOwnedByAnotherUserIsRefusedAtItsKey) {
  const auto password = write("web.pass", "secret\n");
  ASSERT_EQ(::chown(password.c_str(), kNobody, kNobody), 0);
  EXPECT_THAT(errors("web:\n  basic_auth: {username: u, password_file: web.pass}\ncollectors: []\n"),
              ElementsAre(HasSubstr(file() + ":2:44: " + password + " is owned by nobody (uid 65534)")));
}

// A program or script that others can rewrite is code anyone may have
// gleaner run.
TEST_F(ConfigLoaderTest, AProgramOrScriptOthersCanWriteIsRefusedAtItsCommand) {
  const auto program = write("ww/probe", "#!/bin/sh\necho probe 1\n");
  const auto script = write("script.sh", "echo script 1\n");
  const auto shell_script = write("shell.sh", "echo shell 1\n");
  ::chmod(program.c_str(), 0755);
  ::chmod((dir_ + "/ww").c_str(), 0777);
  ::chmod(script.c_str(), 0666);
  ASSERT_EQ(::chown(shell_script.c_str(), kNobody, kNobody), 0);
  EXPECT_THAT(errors("collectors:\n"
                     "  - {name: a, plugin: exec, command: [" + program + "]}\n"
                     "  - {name: b, plugin: exec, command: [/bin/sh, " + script + "]}\n"
                     "  - {name: c, plugin: exec, shell: \"" + shell_script + " --fast | tail -1\"}\n"
                     "  - {name: d, plugin: exec, command: [python3, -c, 'print(1)']}\n"),
              ElementsAre(file() + ":2:38: " + dir_ + "/ww is writable by everyone (mode 0777), so others could "
                                   "change what gleaner runs or reads: chmod go-w " + dir_ + "/ww",
                          file() + ":3:38: " + script + " is writable by everyone (mode 0666), so others could "
                                   "change what gleaner runs or reads: chmod go-w " + script,
                          HasSubstr(file() + ":4:36: " + shell_script + " is owned by nobody (uid 65534)")));
}

// Nothing gleaner reads may block it or grow it without end.
TEST_F(ConfigLoaderTest, AnIncludeThatIsNotARegularFileIsRefusedAtOnce) {
  std::filesystem::create_directories(dir_ + "/conf.d/folder.yaml");
  ASSERT_EQ(::mkfifo((dir_ + "/conf.d/fifo.yaml").c_str(), 0600), 0);
  std::filesystem::create_symlink("/dev/zero", dir_ + "/conf.d/zero.yaml");
  EXPECT_THAT(errors("include: [\"conf.d/*.yaml\"]\n"),
              ElementsAre(dir_ + "/conf.d/fifo.yaml:0:0: " + dir_ + "/conf.d/fifo.yaml is a FIFO, not a regular file",
                          dir_ + "/conf.d/folder.yaml:0:0: " + dir_ + "/conf.d/folder.yaml is a directory, not a "
                                 "regular file",
                          dir_ + "/conf.d/zero.yaml:0:0: " + dir_ + "/conf.d/zero.yaml (which leads to /dev/zero) is "
                                 "a character device, not a regular file"));
}

TEST_F(ConfigLoaderTest, AConfigurationLargerThanTheLimitIsRefused) {
  const auto path = write("gleaner.yaml", "");
  std::filesystem::resize_file(path, kMaxConfigFileBytes + 1);
  EXPECT_THAT(load_config_file(path, {}).errors.format(),
              HasSubstr(path + " is larger than " + std::to_string(kMaxConfigFileBytes) + " bytes"));
}

TEST(BuiltinConfig, IsValidAndRunsOneDfCollectorOnLocalhost) {
  const auto result = load_config_text(kBuiltinConfig, "built-in default", "/", {});
  ASSERT_TRUE(result.config) << result.errors.format();
  EXPECT_EQ(result.config->listen, "127.0.0.1:9947");
  ASSERT_EQ(result.config->collectors.size(), 1u);
  EXPECT_EQ(result.config->collectors[0].settings.plugin, "df");
}

// README "Two commands": without a file gleaner runs its built-in default;
// the package's /etc/gleaner/gleaner.yaml must run the same collector on the
// same address, so that installing the package changes nothing but the file.
TEST(BuiltinConfig, RunsWhatTheInstalledConfigurationRuns) {
  const auto builtin = load_config_text(kBuiltinConfig, "built-in default", "/", {});
  const auto installed = load_config_file(GLEANER_FIXTURE_DIR "/../../etc/gleaner.yaml", {});
  ASSERT_TRUE(builtin.config) << builtin.errors.format();
  ASSERT_TRUE(installed.config) << installed.errors.format();
  EXPECT_EQ(installed.config->listen, builtin.config->listen);
  EXPECT_EQ(installed.config->metrics_path, builtin.config->metrics_path);
  ASSERT_EQ(installed.config->collectors.size(), builtin.config->collectors.size());
  for (std::size_t i = 0; i < builtin.config->collectors.size(); ++i) {
    EXPECT_EQ(installed.config->collectors[i].settings.name, builtin.config->collectors[i].settings.name);
    // Equal fingerprints: the same entry, with the same defaults taken.
    EXPECT_EQ(installed.config->collectors[i].fingerprint, builtin.config->collectors[i].fingerprint);
  }
}

}  // namespace
}  // namespace gleaner::daemon
