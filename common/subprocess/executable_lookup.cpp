#include "common/subprocess/executable_lookup.h"

#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>

extern char** environ;

namespace gleaner::subprocess {
namespace {

bool has_name(std::string_view entry, std::string_view name) {
  return entry.size() > name.size() && entry.compare(0, name.size(), name) == 0 &&
         entry[name.size()] == '=';
}

void set_entry(std::vector<std::string>& environment, std::string entry) {
  const auto eq = entry.find('=');
  const std::string_view name = std::string_view(entry).substr(0, eq);
  for (auto& existing : environment) {
    if (has_name(existing, name)) {
      existing = std::move(entry);
      return;
    }
  }
  environment.push_back(std::move(entry));
}

}  // namespace

int check_executable(const std::string& path) {
  struct stat info {};
  if (::stat(path.c_str(), &info) != 0) return errno;
  if (S_ISDIR(info.st_mode)) return EACCES;
  if (::access(path.c_str(), X_OK) != 0) return errno;
  if (!S_ISREG(info.st_mode)) return EACCES;
  return 0;
}

namespace {

ExecutableLookup failure(int error, std::string message) {
  return ExecutableLookup{{}, error, std::move(message)};
}

}  // namespace

std::vector<std::string> build_environment(const Command& command) {
  std::vector<std::string> environment;
  if (command.inherit_env) {
    for (char** entry = environ; entry && *entry; ++entry) environment.emplace_back(*entry);
  } else {
    environment = {std::string("PATH=") + kDefaultPath, "LC_ALL=C"};
  }
  for (const auto& entry : command.env) set_entry(environment, entry);
  // The mark is the command's own setting alone, whatever the daemon's
  // environment or env say.
  std::erase_if(environment, [](const std::string& entry) { return has_name(entry, kBackgroundAllowedName); });
  if (command.allow_background) environment.emplace_back(kBackgroundAllowedEntry);
  return environment;
}

std::string_view path_of(const std::vector<std::string>& environment) {
  for (const auto& entry : environment) {
    if (has_name(entry, "PATH")) return std::string_view(entry).substr(5);
  }
  return kDefaultPath;
}

ExecutableLookup find_executable(std::string_view name, std::string_view path_value) {
  if (name.empty()) return failure(ENOENT, "empty command");
  if (name.find('/') != std::string_view::npos) {
    std::string path(name);
    if (const int error = check_executable(path); error != 0) {
      return failure(error, path + ": " + std::strerror(error));
    }
    return ExecutableLookup{std::move(path), 0, {}};
  }
  // Like execvp: remember that something was there but not executable, so
  // the user hears "permission denied" rather than "not found".
  std::string denied;
  std::size_t start = 0;
  while (start <= path_value.size()) {
    auto end = path_value.find(':', start);
    if (end == std::string_view::npos) end = path_value.size();
    std::string dir(path_value.substr(start, end - start));
    if (dir.empty()) dir = ".";
    std::string candidate = dir + "/" + std::string(name);
    const int error = check_executable(candidate);
    if (error == 0) return ExecutableLookup{std::move(candidate), 0, {}};
    if (error == EACCES && denied.empty()) denied = std::move(candidate);
    start = end + 1;
  }
  if (!denied.empty()) return failure(EACCES, denied + ": " + std::strerror(EACCES));
  return failure(ENOENT, std::string(name) + ": not found on PATH " + std::string(path_value));
}

std::string ExecutableCache::key(std::string_view name, std::string_view path_value) {
  std::string key(path_value);
  key.push_back('\0');
  key.append(name);
  return key;
}

ExecutableLookup ExecutableCache::find(std::string_view name, std::string_view path_value) {
  if (name.find('/') != std::string_view::npos) return ExecutableLookup{std::string(name), 0, {}};
  const auto entry = key(name, path_value);
  if (const auto it = found_.find(entry); it != found_.end()) return ExecutableLookup{it->second, 0, {}};
  auto lookup = find_executable(name, path_value);
  if (lookup.found()) {
    if (found_.size() >= 1024) found_.clear();  // bounded, whatever the configuration
    found_.emplace(entry, lookup.path);
  }
  return lookup;
}

void ExecutableCache::forget(std::string_view name, std::string_view path_value) { found_.erase(key(name, path_value)); }

}  // namespace gleaner::subprocess
