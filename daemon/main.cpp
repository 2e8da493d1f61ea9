// gleaner: runs collector commands on timers and serves their metrics for
// Prometheus. See README, "Command line", for the command line.

#include <spdlog/spdlog.h>
#include <unistd.h>

#include <cstdio>
#include <iostream>

#include "daemon/cli.h"
#include "daemon/config/config_loader.h"
#include "daemon/daemon.h"
#include "daemon/passed_sockets.h"
#include "daemon/plugin_list.h"
#include "daemon/version.h"
#include "common/logging/logging.h"

namespace {

using namespace gleaner::daemon;

constexpr const char* kSystemConfig = "/etc/gleaner/gleaner.yaml";

enum ExitCode { kSuccess = 0, kFailure = 1, kUsage = 2 };

int main_with(const CliOptions& options, const PassedSockets& passed) {
  std::string path;
  if (options.config) {
    path = *options.config;
  } else if (::access(kSystemConfig, F_OK) == 0) {
    path = kSystemConfig;
  }
  using gleaner::plugins::MissingExecutable;
  gleaner::plugins::ValidationOptions validation;
  if (options.check_config) {
    validation.missing_executable = options.strict ? MissingExecutable::error : MissingExecutable::warning;
  }
  auto loaded = path.empty() ? load_config_text(kBuiltinConfig, std::string(kBuiltinConfigName), "/", validation,
                                                options.web_config_file)
                             : load_config_file(path, validation, options.web_config_file);
  std::cerr << loaded.errors.format_warnings();
  if (!loaded.config) {
    std::cerr << loaded.errors.format();
    std::cerr << "gleaner: the configuration has " << loaded.errors.size() << " error"
              << (loaded.errors.size() == 1 ? "" : "s") << "\n";
    return kUsage;
  }
  if (options.check_config) {
    const auto count = loaded.config->collectors.size();
    std::cout << "config OK: " << count << " collector" << (count == 1 ? "" : "s") << "\n";
    return kSuccess;
  }
  if (path.empty()) {
    spdlog::info("no configuration file (neither --config nor {}): using the built-in default, "
                 "one df collector",
                 kSystemConfig);
  }
  if (options.log_level) loaded.config->log_level = *options.log_level;
  if (options.log_format) loaded.config->log_format = *options.log_format;
  gleaner::logging::set_level(gleaner::logging::parse_level(loaded.config->log_level).value_or(spdlog::level::info));
  gleaner::logging::set_format(
      gleaner::logging::parse_format(loaded.config->log_format).value_or(gleaner::logging::Format::text));
  if (options.once) {
    return run_once(std::move(*loaded.config), OnceOptions{options.collectors, options.verbose}, stdout, stderr);
  }
  // Refused before anything starts: serving elsewhere than the .socket unit
  // says would be a surprise, and exit 2 keeps systemd from retrying.
  if (!passed.error.empty()) {
    spdlog::error("{}", passed.error);
    return kUsage;
  }
  Daemon daemon(std::move(*loaded.config), path, Overrides{options.listen, options.log_level, options.log_format, options.web_config_file}, passed.fds);
  return daemon.run();
}

}  // namespace

int main(int argc, char** argv) {
  // First, while gleaner is one thread: this also takes the LISTEN_*
  // variables out of the environment that commands may inherit.
  const auto passed = take_passed_sockets();
  gleaner::logging::setup();
  const auto parse = parse_command_line(argc, argv);
  if (!parse.error.empty()) {
    std::cerr << "gleaner: " << parse.error << "\n\n" << usage_text();
    return kUsage;
  }
  if (parse.options.help) {
    std::cout << usage_text();
    return kSuccess;
  }
  if (parse.options.list_plugins) {
    std::cout << list_plugins_text();
    return kSuccess;
  }
  if (parse.options.version) {
    std::cout << "gleaner " << kVersion << "\n";
    return kSuccess;
  }
  // The flag applies at once: what is logged before the configuration is
  // read comes in the format asked for too.
  if (parse.options.log_format) {
    gleaner::logging::set_format(*gleaner::logging::parse_format(*parse.options.log_format));
  }
  try {
    return main_with(parse.options, passed);
  } catch (const std::exception& error) {
    spdlog::critical("fatal: {}", error.what());
    return kFailure;
  }
}
