#pragma once
// Reading test fixtures (real command outputs) from tests/fixtures/.

#include <fstream>
#include <sstream>
#include <stdexcept>
#include <string>

#ifndef GLEANER_FIXTURE_DIR
#error "tests must be built with GLEANER_FIXTURE_DIR"
#endif

namespace gleaner::testing {

inline std::string fixture_path(const std::string& name) { return std::string(GLEANER_FIXTURE_DIR) + "/" + name; }

// The whole file, bytes as they are; throws if it is missing.
inline std::string read_fixture(const std::string& name) {
  std::ifstream file(fixture_path(name), std::ios::binary);
  if (!file) throw std::runtime_error("missing fixture " + fixture_path(name));
  std::stringstream text;
  text << file.rdbuf();
  return text.str();
}

}  // namespace gleaner::testing
