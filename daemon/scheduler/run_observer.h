#pragma once
// Who hears, for --once --verbose, of each command a collector ran (its
// result whole) and of each run's outcome as the plugin gave it (before
// max_series and admission).

#include <functional>
#include <string>

#include "plugins/plugin_api.h"

namespace gleaner::daemon {

struct RunObserver {
  std::function<void(const std::string& collector, const subprocess::Command& command,
                     const subprocess::Result& result)>
      command;
  std::function<void(const std::string& collector, const plugins::CollectOutcome& outcome)> outcome;
  std::function<void(const std::string& collector, const std::string& line)> detail;
};

}  // namespace gleaner::daemon
