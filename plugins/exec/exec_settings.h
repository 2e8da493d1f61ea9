#pragma once
// The keys of an exec collector (README, "The exec plugin"), read and checked.

#include <memory>
#include <optional>
#include <vector>

#include "common/parsers/parser.h"
#include "plugins/plugin_api.h"
#include "common/subprocess/command.h"
#include "common/subprocess/record_splitter.h"

namespace gleaner::plugins::exec {

struct ExecSettings {
  subprocess::Command command;  // with timeout and max_output applied
  std::vector<int> accept_exit_codes;
  CollectorMode mode = CollectorMode::periodic;
  subprocess::Framing framing = subprocess::Framing::lines;  // for mode: stream
  // The collector's timeout. A stream's or persistent command runs without
  // one (command.timeout is 0); this bounds instead the wait for a stream's
  // first record when it is run once (--once), and each persistent answer.
  std::chrono::milliseconds wait_timeout{10'000};
  // With mode: persistent, how long without a new line ends an answer that
  // has begun (for plugins that print no terminator).
  std::chrono::milliseconds quiet_period{100};
  std::shared_ptr<const parsers::Parser> parser;
};

// Reads command/shell, stdin, env, inherit_env, allow_background,
// working_dir, accept_exit_codes, mode, framing, quiet_period and parser from the collector entry;
// nullopt after recording every problem in entry.errors().
std::optional<ExecSettings> read_exec_settings(const CollectorSettings& settings, config::MapReader& entry,
                                               const ValidationOptions& options);

}  // namespace gleaner::plugins::exec
