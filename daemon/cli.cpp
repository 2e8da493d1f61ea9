#include "daemon/cli.h"

#include <string_view>

#include "daemon/http/listen_address.h"
#include "common/logging/logging.h"

namespace gleaner::daemon {

std::string usage_text() {
  return R"(Usage: gleaner [--config PATH] [--listen HOST:PORT] [--log-level LEVEL]
               [--log-format FORMAT] [--web.config.file PATH] [--check-config [--strict]]
               [--once [--collector NAME]... [--verbose]] [--list-plugins]
               [--version] [--help]

Runs collector commands on timers and serves their metrics for Prometheus.

  --config PATH        the YAML configuration (default: /etc/gleaner/gleaner.yaml
                       if present, else the built-in default: one df collector)
  --listen HOST:PORT   where to serve /metrics, overriding the file
                       (":PORT" or "[::]:PORT" for all interfaces)
  --log-level LEVEL    trace, debug, info, warn (or warning) or error,
                       overriding the file
  --log-format FORMAT  text, json or logfmt, overriding the file (under
                       systemd, events go to journald with their fields)
  --web.config.file PATH
                       exporter-toolkit's web configuration file (TLS, mutual
                       TLS, basic auth users, response headers), as
                       node_exporter takes it; replaces the file's web:
  --check-config       validate the configuration, print "config OK: N
                       collectors"; exit 2 with FILE:LINE:COLUMN errors if
                       not. A command whose executable is missing is a
                       warning: it may be installed later
  --strict             with --check-config: a missing executable is an error
  --once               run every collector once, print the exposition, exit 0
                       if all succeeded, 1 if any failed
  --collector NAME     with --once: run only this collector (repeatable);
                       exit 2 naming the known ones if there is none so named
  --verbose            with --once: print on stderr each command run (argv,
                       working dir, exit status, duration, its stdout and
                       stderr, the first 64 KiB of each) and what the run
                       came to (series, skipped lines, why it failed)
  --list-plugins       print each plugin, what it does and its own keys
  --version            print the version
  --help               print this text

Signals: SIGHUP reloads the configuration; SIGTERM, SIGINT, SIGQUIT, SIGXCPU
and SIGPWR stop, ending the commands; SIGUSR1, SIGUSR2 and the other signals
that would end a process are logged and change nothing; SIGPIPE is ignored.
)";
}

CliParse parse_command_line(int argc, const char* const* argv) {
  CliParse parse;
  auto& options = parse.options;
  for (int i = 1; i < argc; ++i) {
    std::string_view arg = argv[i];
    std::string_view flag = arg;
    std::optional<std::string> inline_value;
    if (const auto eq = arg.find('='); arg.starts_with("--") && eq != std::string_view::npos) {
      flag = arg.substr(0, eq);
      inline_value = std::string(arg.substr(eq + 1));
    }
    const auto value = [&]() -> std::optional<std::string> {
      if (inline_value) return inline_value;
      if (i + 1 < argc) return std::string(argv[++i]);
      parse.error = std::string(flag) + " needs a value";
      return std::nullopt;
    };
    const auto no_value = [&] {
      if (inline_value) parse.error = std::string(flag) + " takes no value";
      return !inline_value;
    };
    if (flag == "--config") {
      options.config = value();
    } else if (flag == "--listen") {
      options.listen = value();
      // Checked here as start-up checks `listen`: --check-config must not
      // say OK to an address the start would then refuse.
      std::string problem;
      if (options.listen && !http::parse_listen_address(*options.listen, &problem)) {
        parse.error = "--listen: \"" + *options.listen + "\": " + problem;
      }
    } else if (flag == "--log-level") {
      options.log_level = value();
      if (options.log_level && !logging::parse_level(*options.log_level)) {
        parse.error = "--log-level: unknown level \"" + *options.log_level +
                      "\" (trace, debug, info, warn, warning, error)";
      }
    } else if (flag == "--log-format") {
      options.log_format = value();
      if (options.log_format && !logging::parse_format(*options.log_format)) {
        parse.error = "--log-format: unknown format \"" + *options.log_format + "\" (text, json, logfmt)";
      }
    } else if (flag == "--web.config.file") {
      options.web_config_file = value();
      if (options.web_config_file && options.web_config_file->empty()) {
        parse.error = "--web.config.file needs a path";
      }
    } else if (flag == "--check-config") {
      options.check_config = no_value();
    } else if (flag == "--strict") {
      options.strict = no_value();
    } else if (flag == "--once") {
      options.once = no_value();
    } else if (flag == "--collector") {
      if (auto name = value()) {
        if (name->empty()) parse.error = "--collector needs a name";
        options.collectors.push_back(std::move(*name));
      }
    } else if (flag == "--verbose") {
      options.verbose = no_value();
    } else if (flag == "--list-plugins") {
      options.list_plugins = no_value();
    } else if (flag == "--version") {
      options.version = no_value();
    } else if (flag == "--help" || flag == "-h") {
      options.help = no_value();
    } else {
      parse.error = "unknown argument \"" + std::string(arg) + "\"";
    }
    if (!parse.error.empty()) return parse;
  }
  if (options.check_config && options.once) parse.error = "--check-config and --once exclude each other";
  if (options.strict && !options.check_config) parse.error = "--strict applies to --check-config only";
  // Both shape what one --once run reports; a daemon has nothing to apply them to.
  if (!options.collectors.empty() && !options.once) parse.error = "--collector applies to --once only";
  if (options.verbose && !options.once) parse.error = "--verbose applies to --once only";
  if (options.list_plugins && (options.once || options.check_config)) {
    parse.error = "--list-plugins excludes --once and --check-config";
  }
  return parse;
}

}  // namespace gleaner::daemon
