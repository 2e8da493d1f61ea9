#pragma once
// Finding the program a Command names, the way execvp would, but on the PATH
// of the command's own environment rather than the daemon's.

#include <string>
#include <string_view>
#include <vector>

#include "command.h"

namespace gleaner::subprocess {

struct ExecutableLookup {
  std::string path;  // set when found
  int error = 0;     // errno-style: ENOENT, EACCES, …
  std::string message;

  bool found() const { return error == 0; }
};

// The "NAME=value" list a command runs with (see Command::env).
std::vector<std::string> build_environment(const Command& command);

// The value of PATH in an environment list, or kDefaultPath when absent.
std::string_view path_of(const std::vector<std::string>& environment);

// Resolves a program name against a PATH value. A name containing '/' is
// checked as it is. Not found anywhere gives ENOENT; found but not
// executable (or a directory) gives EACCES, naming the path.
ExecutableLookup find_executable(std::string_view name, std::string_view path_value);

}  // namespace gleaner::subprocess
