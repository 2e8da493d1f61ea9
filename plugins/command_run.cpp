#include "plugins/command_run.h"

#include <algorithm>
#include <boost/asio/use_awaitable.hpp>
#include <chrono>
#include <string>

#include "common/subprocess/duration_text.h"

namespace gleaner::plugins {

using subprocess::milliseconds_text;
using subprocess::RunFailure;

bool valid_program(std::string_view program) {
  if (program.empty() || program.front() == '-') return false;
  return program.find('/') == std::string_view::npos || program.front() == '/';
}

subprocess::Command command_for(const CollectorSettings& settings, std::vector<std::string> argv) {
  subprocess::Command command;
  command.argv = std::move(argv);
  command.timeout = settings.timeout;
  command.max_output = settings.max_output;
  return command;
}

std::optional<CollectOutcome> judge(const subprocess::Command& command, const subprocess::Result& result,
                                    const std::vector<int>& accepted_exit_codes) {
  const auto failed = [&](FailureReason reason, std::string message) {
    return CollectOutcome::failed(reason, command.display() + ": " + std::move(message), result.stderr_tail);
  };
  switch (result.failure) {
    case RunFailure::none:
      break;
    case RunFailure::spawn:
      return failed(FailureReason::spawn, result.failure_message);
    case RunFailure::timeout:
    case RunFailure::cancelled:  // only at shutdown or reload; never published
      return failed(FailureReason::timeout, result.failure_message);
    case RunFailure::output_closed:  // a stream or persistent command that can print nothing more has ended
      return failed(FailureReason::exit_code, result.failure_message);
    case RunFailure::output_limit:
      return failed(FailureReason::output_limit, result.failure_message);
  }
  const bool accepted = result.exit_code && std::find(accepted_exit_codes.begin(), accepted_exit_codes.end(),
                                                      *result.exit_code) != accepted_exit_codes.end();
  if (!accepted) return failed(FailureReason::exit_code, result.describe());
  return std::nullopt;
}

boost::asio::awaitable<CommandRun> run_command(CollectContext& context, subprocess::Command command,
                                               const std::vector<int>& accepted_exit_codes) {
  CommandRun run;
  const auto run_timeout = command.timeout;
  if (run_timeout.count() > 0) {
    const auto left = run_timeout - context.commands_ran;
    if (left <= std::chrono::steady_clock::duration::zero()) {
      run.result.failure = RunFailure::timeout;
      run.result.failure_message =
          "not started: the run's earlier commands took its whole timeout (" + milliseconds_text(run_timeout) + ")";
      // Told, as a command that could not be spawned is, so that the run's
      // trace (its debug line, its failure's command and exit_code) ends
      // with this command and why the run failed, not with the earlier one
      // that exited 0. It has nothing a started command adds: no time in
      // commands_ran, no output, no on_command_started (lateness).
      if (context.on_command_finished) context.on_command_finished(command, run.result);
      run.failure = judge(command, run.result, accepted_exit_codes);
      co_return run;
    }
    command.timeout = std::chrono::ceil<std::chrono::milliseconds>(left);
  }
  command.on_started = context.on_command_started;
  run.result = co_await context.runner.async_run(command, boost::asio::use_awaitable);
  context.commands_ran += run.result.duration;
  if (run.result.failure == RunFailure::timeout && command.timeout < run_timeout) {
    run.result.failure_message +=
        ", what the run's earlier commands left of its timeout (" + milliseconds_text(run_timeout) + ")";
  }
  if (context.on_command_finished) context.on_command_finished(command, run.result);
  run.failure = judge(command, run.result, accepted_exit_codes);
  co_return run;
}

}  // namespace gleaner::plugins
