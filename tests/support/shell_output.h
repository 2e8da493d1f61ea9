#pragma once
// What a shell command prints on stdout, for comparing gleaner's figures
// with the host's own tools (apt, smartctl, vgs, …).

#include <stdio.h>

#include <string>

namespace gleaner::testing {

// Everything the command printed, as it printed it ("" if it cannot run).
inline std::string shell_output(const std::string& command) {
  std::string output;
  FILE* pipe = ::popen(command.c_str(), "r");
  if (!pipe) return output;
  char buffer[4096];
  while (const auto n = std::fread(buffer, 1, sizeof buffer, pipe)) output.append(buffer, n);
  ::pclose(pipe);
  return output;
}

// The same without the trailing newlines and spaces: one word or number.
inline std::string trimmed_shell_output(const std::string& command) {
  std::string output = shell_output(command);
  while (!output.empty() && (output.back() == '\n' || output.back() == ' ')) output.pop_back();
  return output;
}

}  // namespace gleaner::testing
