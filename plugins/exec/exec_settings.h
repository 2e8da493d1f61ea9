#pragma once
// The keys of an exec collector (CONTRACT.md, "Commands"), read and checked.

#include <memory>
#include <optional>
#include <vector>

#include "parsers/parser.h"
#include "plugins/plugin_api.h"
#include "subprocess/command.h"
#include "subprocess/record_splitter.h"

namespace gleaner::plugins::exec {

struct ExecSettings {
  subprocess::Command command;  // with timeout and max_output applied
  std::vector<int> accept_exit_codes;
  CollectorMode mode = CollectorMode::periodic;
  subprocess::Framing framing = subprocess::Framing::lines;  // for mode: stream
  // A stream's command runs without a timeout; this bounds the wait for its
  // first record when it is run once (--once).
  std::chrono::milliseconds first_record_timeout{10'000};
  // With mode: persistent, how long without a new line ends an answer that
  // has begun (for plugins that print no terminator); the answer's timeout
  // is the collector's timeout.
  std::chrono::milliseconds quiet_period{100};
  std::chrono::milliseconds answer_timeout{10'000};
  std::shared_ptr<const parsers::Parser> parser;
};

// Reads command/shell, stdin, env, inherit_env, allow_background,
// working_dir, accept_exit_codes, mode, framing, quiet_period and parser from the collector entry;
// nullopt after recording every problem in entry.errors().
std::optional<ExecSettings> read_exec_settings(const CollectorSettings& settings, config::MapReader& entry,
                                               const ValidationOptions& options);

}  // namespace gleaner::plugins::exec
