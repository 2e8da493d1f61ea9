#pragma once
// What `gleaner --list-plugins` prints (README "Command line"): every
// registered plugin, one line of what it does, and its own keys.

#include <string>

namespace gleaner::daemon {

std::string list_plugins_text();

}  // namespace gleaner::daemon
