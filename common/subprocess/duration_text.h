#pragma once
// How a duration is written in the messages of failed runs: "1500ms", a
// form the configuration's durations take too (README "Configuration"),
// the same in every message.

#include <chrono>
#include <string>

namespace gleaner::subprocess {

std::string milliseconds_text(std::chrono::milliseconds duration);

}  // namespace gleaner::subprocess
