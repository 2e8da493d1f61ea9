#pragma once
// Finding the program a Command names, the way execvp would, but on the PATH
// of the command's own environment rather than the daemon's.

#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "common/subprocess/command.h"

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

// 0 when path is an executable regular file, else the errno exec would give.
int check_executable(const std::string& path);

// What the spawn path uses: remembers where a PATH search found a program,
// so a collector that runs every second does not search every second. A
// name with a '/' is taken as it is: exec itself says what is wrong with it.
// Forget an entry when exec fails on it (the program moved).
class ExecutableCache {
 public:
  ExecutableLookup find(std::string_view name, std::string_view path_value);
  void forget(std::string_view name, std::string_view path_value);

 private:
  static std::string key(std::string_view name, std::string_view path_value);
  std::unordered_map<std::string, std::string> found_;
};

}  // namespace gleaner::subprocess
