#include "plugins/exec/command_files.h"

#include <sys/stat.h>

#include <array>
#include <string_view>

namespace gleaner::plugins::exec {
namespace {

constexpr std::array<std::string_view, 5> kShells = {"sh", "bash", "dash", "zsh", "ksh"};
constexpr std::array<std::string_view, 5> kOtherInterpreters = {"python", "python3", "perl", "ruby", "node"};

std::string_view last_component(std::string_view path) {
  const auto slash = path.find_last_of('/');
  return slash == std::string_view::npos ? path : path.substr(slash + 1);
}

template <std::size_t N>
bool is_one_of(std::string_view name, const std::array<std::string_view, N>& names) {
  for (const auto candidate : names) {
    if (name == candidate) return true;
  }
  return false;
}

bool is_regular_file(const std::string& path) {
  struct stat status {};
  return ::stat(path.c_str(), &status) == 0 && S_ISREG(status.st_mode);
}

std::string in_working_dir(const std::string& path, const std::string& working_dir) {
  if (path.starts_with('/') || working_dir.empty()) return path;
  return working_dir + (working_dir.ends_with('/') ? "" : "/") + path;
}

std::string first_word(std::string_view script) {
  const auto start = script.find_first_not_of(" \t\n");
  if (start == std::string_view::npos) return {};
  const auto end = script.find_first_of(" \t\n;|&<>()", start);
  return std::string(script.substr(start, end == std::string_view::npos ? end : end - start));
}

}  // namespace

std::vector<std::string> files_a_command_runs(const subprocess::Command& command, const std::string& program) {
  std::vector<std::string> files = {program};
  const auto& argv = command.argv;
  if (argv.size() < 2) return files;
  const auto name = last_component(argv.front());
  const bool shell = is_one_of(name, kShells);
  if (!shell && !is_one_of(name, kOtherInterpreters)) return files;
  std::string script;
  if (shell && argv[1] == "-c" && argv.size() > 2) {
    script = first_word(argv[2]);
    if (script.find('/') == std::string::npos) return files;
  } else if (!argv[1].starts_with('-')) {
    script = argv[1];
  }
  if (script.empty()) return files;
  script = in_working_dir(script, command.working_dir);
  if (is_regular_file(script)) files.push_back(script);
  return files;
}

}  // namespace gleaner::plugins::exec
