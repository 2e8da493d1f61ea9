#pragma once
// The files whose contents decide what a command does, so that gleaner can
// refuse to run what others could rewrite (see files/trusted_file.h).

#include <string>
#include <vector>

#include "common/subprocess/command.h"

namespace gleaner::plugins::exec {

// `program` is where argv[0] was found on the command's PATH. Returned:
// - the program itself;
// - when the program is an interpreter (sh, bash, dash, zsh, ksh, python,
//   python3, perl, ruby, node, named by its last path component), the script
//   it is given as its first argument, if that argument does not start with
//   '-' and names an existing regular file (relative to the command's
//   working_dir);
// - when a shell is given `-c SCRIPT` (as for `shell:`), the first word of
//   SCRIPT if it holds a '/' and names an existing regular file.
// Nothing else: not what the script runs in turn, not a script found on PATH
// by name alone, nor arguments after the first.
std::vector<std::string> files_a_command_runs(const subprocess::Command& command, const std::string& program);

}  // namespace gleaner::plugins::exec
