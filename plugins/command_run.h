#pragma once
// Running a collector's command and judging the result, shared by every
// plugin that runs one: the subprocess layer's failures and unaccepted exit
// codes become a CollectOutcome failure with a message a user can act on.

#include <boost/asio/awaitable.hpp>
#include <optional>
#include <string_view>
#include <vector>

#include "plugins/plugin_api.h"

namespace gleaner::plugins {

struct CommandRun {
  subprocess::Result result;
  std::optional<CollectOutcome> failure;  // set when the run did not succeed

  bool ok() const { return !failure.has_value(); }
};

// A plugin's option naming the program it runs: a name found on the
// commands' PATH, or an absolute path; never an option of its own ("-x").
inline constexpr const char* kProgramRule = "expected a program name or an absolute path";
bool valid_program(std::string_view program);

// A Command with the collector's timeout and max_output. The timeout is
// the run's: run_command gives the command what is left of it.
subprocess::Command command_for(const CollectorSettings& settings, std::vector<std::string> argv);

// Runs the command among the runner's max_concurrent places. Its timeout
// bounds the whole run: the command gets what this run's earlier commands
// (context.commands_ran) left of it, and is not started when nothing is
// left. Tells context.on_command_started as it starts and
// context.on_command_finished when it ends, or with its failure when it
// is not started.
boost::asio::awaitable<CommandRun> run_command(CollectContext& context, subprocess::Command command,
                                               const std::vector<int>& accepted_exit_codes);

// The judgement alone, for callers that ran the command themselves.
std::optional<CollectOutcome> judge(const subprocess::Command& command, const subprocess::Result& result,
                                    const std::vector<int>& accepted_exit_codes);

}  // namespace gleaner::plugins
