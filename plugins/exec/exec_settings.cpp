#include "plugins/exec/exec_settings.h"

#include "common/files/trusted_file.h"
#include "plugins/exec/command_files.h"
#include "plugins/exec/parser_config.h"
#include "common/subprocess/executable_lookup.h"

namespace gleaner::plugins::exec {
namespace {

using subprocess::Command;

bool is_env_name(std::string_view name) {
  if (name.empty() || (name.front() >= '0' && name.front() <= '9')) return false;
  for (char c : name) {
    if (!((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_')) return false;
  }
  return true;
}

// The command itself: `command` (argv) or `shell` (a script), exactly one.
std::optional<Command> read_command(config::MapReader& entry) {
  auto& errors = entry.errors();
  const bool has_command = entry.has("command");
  const bool has_shell = entry.has("shell");
  if (has_command && has_shell) {
    errors.add(entry.value("shell"), "exec: give either command or shell, not both");
    return std::nullopt;
  }
  if (!has_command && !has_shell) {
    errors.add(entry.node(), "exec collector needs \"command\" (an argv list) or \"shell\" (a script for /bin/sh -c)");
    return std::nullopt;
  }
  if (has_shell) {
    auto script = entry.string("shell");
    if (!script) return std::nullopt;
    return Command::shell(std::move(*script));
  }
  const auto node = entry.value("command");
  if (node.IsScalar()) {
    errors.add(node, "command must be a list (argv), e.g. [df, -kP]; for a shell command line use \"shell:\"");
    return std::nullopt;
  }
  auto argv = entry.string_list("command");
  if (!argv) return std::nullopt;
  if (argv->empty() || argv->front().empty()) {
    errors.add(node, "command must name a program");
    return std::nullopt;
  }
  Command command;
  command.argv = std::move(*argv);
  return command;
}

std::optional<std::vector<int>> read_exit_codes(config::MapReader& entry) {
  if (!entry.has("accept_exit_codes")) return std::nullopt;
  const auto node = entry.value("accept_exit_codes");
  auto& errors = entry.errors();
  if (!node.IsSequence() || node.size() == 0) {
    errors.add(node, "accept_exit_codes must be a list of exit codes, e.g. [0, 1]");
    return std::nullopt;
  }
  std::vector<int> codes;
  for (const auto& item : node) {
    int code = -1;
    if (!item.IsScalar() || !YAML::convert<int>::decode(item, code) || code < 0 || code > 255) {
      errors.add(item, "accept_exit_codes: an exit code is a whole number from 0 to 255");
      return std::nullopt;
    }
    codes.push_back(code);
  }
  return codes;
}

}  // namespace

std::optional<ExecSettings> read_exec_settings(const CollectorSettings& settings, config::MapReader& entry,
                                               const ValidationOptions& options) {
  auto& errors = entry.errors();
  const std::size_t errors_before = errors.size();
  ExecSettings exec;

  auto command = read_command(entry);
  if (auto stdin_text = entry.string("stdin")) {
    if (command) command->stdin_data = std::move(*stdin_text);
  }
  if (auto env = entry.string_map("env")) {
    for (auto& [name, value] : *env) {
      if (!is_env_name(name)) {
        errors.add(entry.value("env"), "env: \"" + name + "\" is not a valid variable name");
      } else if (command) {
        command->env.push_back(name + "=" + value);
      }
    }
  }
  if (auto inherit = entry.boolean("inherit_env"); inherit && command) command->inherit_env = *inherit;
  if (auto allow = entry.boolean("allow_background"); allow && command) command->allow_background = *allow;
  if (auto dir = entry.string("working_dir")) {
    if (dir->empty() || dir->front() != '/') {
      errors.add(entry.value("working_dir"), "working_dir must be an absolute path");
    } else if (command) {
      command->working_dir = std::move(*dir);
    }
  }
  const auto exit_codes = read_exit_codes(entry);
  if (auto mode = entry.choice("mode", {"periodic", "stream", "persistent"})) {
    exec.mode = *mode == "stream"       ? CollectorMode::stream
                : *mode == "persistent" ? CollectorMode::persistent
                                        : CollectorMode::periodic;
  }
  if (auto framing = entry.choice("framing", {"lines", "blocks"})) {
    if (exec.mode != CollectorMode::stream) {
      errors.add(entry.value("framing"), "framing applies to mode: stream only");
    }
    exec.framing = *framing == "blocks" ? subprocess::Framing::blocks : subprocess::Framing::lines;
  }

  if (auto quiet = entry.duration("quiet_period")) {
    if (exec.mode != CollectorMode::persistent) {
      errors.add(entry.value("quiet_period"), "quiet_period applies to mode: persistent only");
    } else if (*quiet >= settings.timeout) {
      errors.add(entry.value("quiet_period"), "quiet_period must be shorter than the timeout");
    }
    exec.quiet_period = *quiet;
  }
  if (exec.mode == CollectorMode::persistent && command && command->stdin_data) {
    errors.add(entry.value("stdin"), "stdin does not go with mode: persistent (its stdin carries the requests)");
  }

  std::string parser_type = "prometheus";
  if (entry.has("parser")) {
    const auto node = entry.value("parser");
    if (node.IsMap() && node["type"].IsScalar()) parser_type = node["type"].Scalar();
    exec.parser = read_parser(node, errors);
  } else {
    exec.parser = read_parser(YAML::Load("{type: prometheus}"), errors);
  }
  // A Nagios plugin's exit code is its status: 0 to 3 are all answers.
  exec.accept_exit_codes = exit_codes.value_or(parser_type == "nagios" ? std::vector<int>{0, 1, 2, 3}
                                                                         : std::vector<int>{0});

  if (command) {
    const auto where = entry.value(entry.has("shell") ? "shell" : "command");
    const auto environment = subprocess::build_environment(*command);
    const auto lookup = subprocess::find_executable(command->argv.front(), subprocess::path_of(environment));
    // A missing program may yet be installed: a warning for --check-config,
    // an error with --strict, nothing at start-up (its runs fail with reason
    // spawn). One that is there must be safe to run, always.
    if (!lookup.found() && options.missing_executable == MissingExecutable::error) {
      errors.add(where, lookup.message);
    } else if (!lookup.found() && options.missing_executable == MissingExecutable::warning) {
      errors.warn(where, lookup.message + " (its runs fail with reason spawn until it is installed)");
    }
    if (lookup.found()) {
      for (const auto& file : files_a_command_runs(*command, lookup.path)) {
        if (auto problem = files::check_trusted_file(file); !problem.empty()) errors.add(where, problem);
      }
    }
  }
  if (!command || errors.size() != errors_before) return std::nullopt;
  // Stream and persistent commands run for ever; a persistent one's timeout
  // bounds each answer instead.
  command->timeout = exec.mode == CollectorMode::periodic ? settings.timeout : std::chrono::milliseconds(0);
  exec.wait_timeout = settings.timeout;
  command->max_output = settings.max_output;
  exec.command = std::move(*command);
  return exec;
}

}  // namespace gleaner::plugins::exec
