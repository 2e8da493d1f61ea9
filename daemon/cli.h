#pragma once
// The command line (README, "Command line").

#include <optional>
#include <string>
#include <vector>

namespace gleaner::daemon {

struct CliOptions {
  std::optional<std::string> config;
  std::optional<std::string> listen;
  std::optional<std::string> log_level;
  std::optional<std::string> log_format;  // text, json, logfmt
  std::optional<std::string> web_config_file;  // --web.config.file: replaces the configuration's web:
  bool check_config = false;
  bool strict = false;  // --check-config: a missing executable is an error
  bool once = false;
  std::vector<std::string> collectors;  // --collector NAME, repeatable: --once runs only these
  bool verbose = false;                 // --once: each command's run, and what came of it, on stderr
  bool list_plugins = false;
  bool version = false;
  bool help = false;
};

struct CliParse {
  CliOptions options;
  std::string error;  // empty when the command line was fine
};

// Accepts "--flag value" and "--flag=value".
CliParse parse_command_line(int argc, const char* const* argv);

std::string usage_text();

}  // namespace gleaner::daemon
