#include "daemon/cli.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <vector>

namespace gleaner::daemon {
namespace {

CliParse parse(std::vector<const char*> args) {
  args.insert(args.begin(), "gleaner");
  return parse_command_line(static_cast<int>(args.size()), args.data());
}

TEST(CommandLine, EveryFlagInBothForms) {
  const auto result = parse({"--config", "/etc/g.yaml", "--listen=:9100", "--log-level", "debug", "--once"});
  ASSERT_EQ(result.error, "");
  EXPECT_EQ(result.options.config, "/etc/g.yaml");
  EXPECT_EQ(result.options.listen, ":9100");
  EXPECT_EQ(result.options.log_level, "debug");
  EXPECT_TRUE(result.options.once);
  EXPECT_FALSE(result.options.check_config);
  EXPECT_TRUE(parse({"--check-config"}).options.check_config);
  EXPECT_TRUE(parse({"--version"}).options.version);
  EXPECT_TRUE(parse({"--help"}).options.help);
  EXPECT_TRUE(parse({}).error.empty());
}

// README "Command line": --log-format, and "warning" as well as "warn".
TEST(CommandLine, LogFormatAndTheWarningLevel) {
  const auto result = parse({"--log-format=json", "--log-level", "warning"});
  ASSERT_EQ(result.error, "");
  EXPECT_EQ(result.options.log_format, "json");
  EXPECT_EQ(result.options.log_level, "warning");
  EXPECT_EQ(parse({"--log-format", "logfmt"}).options.log_format, "logfmt");
  EXPECT_EQ(parse({"--log-format", "text"}).options.log_format, "text");
  EXPECT_EQ(parse({"--log-level=warn"}).error, "");
}

TEST(CommandLine, MistakesAreErrors) {
  EXPECT_EQ(parse({"--bogus"}).error, "unknown argument \"--bogus\"");
  EXPECT_EQ(parse({"stray"}).error, "unknown argument \"stray\"");
  EXPECT_EQ(parse({"--config"}).error, "--config needs a value");
  EXPECT_EQ(parse({"--once=yes"}).error, "--once takes no value");
  EXPECT_THAT(parse({"--log-level", "loud"}).error, ::testing::HasSubstr("unknown level \"loud\""));
  EXPECT_EQ(parse({"--log-format", "xml"}).error, "--log-format: unknown format \"xml\" (text, json, logfmt)");
  EXPECT_EQ(parse({"--log-format"}).error, "--log-format needs a value");
  EXPECT_EQ(parse({"--once", "--check-config"}).error, "--check-config and --once exclude each other");
}

// README "Command line": --collector and --verbose shape a --once run only.
TEST(CommandLine, CollectorAndVerboseGoWithOnce) {
  const auto result = parse({"--once", "--collector", "a", "--collector=b", "--verbose"});
  ASSERT_EQ(result.error, "");
  EXPECT_EQ(result.options.collectors, (std::vector<std::string>{"a", "b"}));
  EXPECT_TRUE(result.options.verbose);
  EXPECT_EQ(parse({"--collector", "a"}).error, "--collector applies to --once only");
  EXPECT_EQ(parse({"--verbose"}).error, "--verbose applies to --once only");
  EXPECT_EQ(parse({"--once", "--collector"}).error, "--collector needs a value");
  EXPECT_EQ(parse({"--once", "--collector="}).error, "--collector needs a name");
  EXPECT_TRUE(parse({"--list-plugins"}).options.list_plugins);
  EXPECT_EQ(parse({"--list-plugins", "--once"}).error, "--list-plugins excludes --once and --check-config");
}

// Start-up would fail on it; --check-config must not say OK first.
TEST(CommandLine, ListenIsCheckedAsStartUpWouldCheckIt) {
  EXPECT_EQ(parse({"--check-config", "--listen", "garbage"}).error,
            "--listen: \"garbage\": expected HOST:PORT, e.g. 127.0.0.1:9947, or :9947 for every interface");
  EXPECT_THAT(parse({"--listen=127.0.0.1:99999"}).error, ::testing::StartsWith("--listen: \"127.0.0.1:99999\": "));
  EXPECT_EQ(parse({"--listen", "[::]:9100"}).error, "");
}

TEST(CommandLine, StrictBelongsToCheckConfig) {
  const auto strict = parse({"--check-config", "--strict"});
  ASSERT_EQ(strict.error, "");
  EXPECT_TRUE(strict.options.strict);
  EXPECT_FALSE(parse({"--check-config"}).options.strict);
  EXPECT_EQ(parse({"--strict"}).error, "--strict applies to --check-config only");
  EXPECT_EQ(parse({"--check-config", "--strict=yes"}).error, "--strict takes no value");
}

TEST(CommandLine, UsageNamesEveryFlag) {
  const auto text = usage_text();
  for (const char* flag : {"--config", "--listen", "--log-level", "--log-format", "--check-config", "--strict",
                           "--once", "--version", "--help"}) {
    EXPECT_THAT(text, ::testing::HasSubstr(flag));
  }
}

}  // namespace
}  // namespace gleaner::daemon
