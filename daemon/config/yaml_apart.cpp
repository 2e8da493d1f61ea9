#include "daemon/config/yaml_apart.h"

#include <malloc.h>

#include <exception>
#include <optional>
#include <string>
#include <system_error>
#include <thread>

namespace gleaner::daemon {

YAML::Node parse_yaml_apart(std::string_view text) {
  std::optional<YAML::Node> root;
  std::exception_ptr failure;
  const auto parse = [&] {
    try {
      root = YAML::Load(std::string(text));
    } catch (...) {
      failure = std::current_exception();
    }
  };
  try {
    std::thread(parse).join();
  } catch (const std::system_error&) {
    parse();  // only the memory is not given back so well
  }
  if (failure) std::rethrow_exception(failure);
  return *root;
}

void release_freed_memory() { malloc_trim(0); }

}  // namespace gleaner::daemon
