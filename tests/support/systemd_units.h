#pragma once
// The shipped systemd units as systemd itself reads them: pointed at the
// binary just built (they name the installed one) and put through
// `systemd-analyze verify`, whose every word is a defect (it only warns
// about unknown keys and the like).

#include <filesystem>
#include <fstream>
#include <map>
#include <string>
#include <vector>

#include "tests/support/child_command.h"
#include "tests/support/scratch_dir.h"

namespace gleaner::testing {

// The unit with every mention of the binary its ExecStart= names replaced
// by the binary just built.
inline std::string pointed_at_built_binary(std::string unit, const std::string& built) {
  const std::string key = "ExecStart=";
  const auto at = unit.find(key);
  if (at == std::string::npos) return unit;
  const auto start = at + key.size();
  const auto installed = unit.substr(start, unit.find(' ', start) - start);
  for (auto found = unit.find(installed); found != std::string::npos; found = unit.find(installed, found)) {
    unit.replace(found, installed.size(), built);
    found += built.size();
  }
  return unit;
}

struct UnitVerdict {
  bool passed = false;
  std::string output;  // what systemd-analyze said, stdout and stderr
};

// Writes each unit (file name → text) into one directory and verifies them
// together, so that a socket unit finds its service there. A name with a
// folder ("gleaner.service.d/x.conf") is a drop-in: written, not named.
inline UnitVerdict systemd_analyze_verify(const std::map<std::string, std::string>& units) {
  ScratchDir dir;
  std::vector<std::string> argv = {"systemd-analyze", "verify"};
  for (const auto& [name, text] : units) {
    std::filesystem::create_directories(std::filesystem::path(dir.file(name)).parent_path());
    std::ofstream(dir.file(name)) << text;
    if (name.find('/') == std::string::npos) argv.push_back(dir.file(name));
  }
  const auto run = run_child(argv);
  return {.passed = run.exit_code == 0, .output = run.out + run.err};
}

}  // namespace gleaner::testing
