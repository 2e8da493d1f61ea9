// The whole configuration loader (YAML, collectors, the df and exec
// plugins' keys, parsers, includes, web:) on fuzzed text, as if read from
// gleaner.yaml in a sandbox folder with files to include and to read
// (config_sandbox.h).
//
// Asserts: load_config_text never throws; it returns a configuration
// exactly when it reports no error; every error has its FILE:LINE:COLUMN in
// a file that was read, one error per line (see config_checks.h).
//
// `include` globs the file system, so an input whose `include` patterns
// could leave the sandbox (an absolute path, "..", escapes) is skipped:
// a fuzzer must not read /dev/zero or the whole disk. Patterns inside it,
// such as "conf.d/*.yaml", are fuzzed like any other key. The files that
// `web:` names need no such care: the loader reads only small regular files.

#include <yaml-cpp/yaml.h>

#include <string>
#include <string_view>

#include "tests/fuzz/config_checks.h"
#include "tests/fuzz/config_sandbox.h"
#include "daemon/config/config_loader.h"

namespace {

constexpr const char* kMainFile = "gleaner.yaml";

// Relative, no "..", and no characters that glob reads specially beyond
// * ? and [ ]: such a pattern only matches inside the base folder.
bool stays_inside(const std::string& pattern) {
  if (pattern.empty() || pattern.front() == '/' || pattern.find("..") != std::string::npos) return false;
  for (char c : pattern) {
    const bool plain = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9');
    if (!plain && std::string_view("._-/*?[]").find(c) == std::string_view::npos) return false;
  }
  return true;
}

// The loader globs only a top-level `include` list of strings; anything
// else under that key is an error before any glob.
bool includes_stay_inside(const std::string& text) {
  YAML::Node root;
  try {
    root = YAML::Load(text);
  } catch (const YAML::Exception&) {
    return true;  // nothing is globbed when the YAML does not parse
  }
  if (!root.IsMap()) return true;
  for (const auto& entry : root) {
    if (!entry.first.IsScalar() || entry.first.Scalar() != "include" || !entry.second.IsSequence()) continue;
    for (const auto& item : entry.second) {
      if (item.IsScalar() && !stays_inside(item.Scalar())) return false;
    }
  }
  return true;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  using namespace gleaner;
  const std::string text(fuzz::as_text(data, size));
  if (!includes_stay_inside(text)) return -1;  // -1: not added to the corpus

  static const fuzz::ConfigSandbox sandbox;
  const std::string& base_dir = sandbox.dir();
  daemon::LoadResult result;
  try {
    // Executables checked as --check-config --strict does; it only looks at files.
    result = daemon::load_config_text(text, kMainFile, base_dir,
                                      plugins::ValidationOptions{plugins::MissingExecutable::error});
  } catch (const std::exception& error) {
    fuzz::violated("load_config_text never throws", error.what());
  }
  if (result.config.has_value() == !result.errors.empty()) {
    fuzz::violated("a configuration exactly when there is no error", result.errors.format());
  }
  fuzz::check_config_errors(result.errors, kMainFile, base_dir);
  return 0;
}
