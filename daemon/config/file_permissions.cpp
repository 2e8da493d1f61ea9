#include "daemon/config/file_permissions.h"

#include <sys/stat.h>

#include <cerrno>
#include <cstdio>
#include <cstring>
#include <filesystem>

namespace gleaner::daemon {
namespace {

std::string mode_text(mode_t mode) {
  char text[8];
  std::snprintf(text, sizeof text, "%04o", static_cast<unsigned>(mode & 07777));
  return text;
}

std::string check_one(const std::string& path, bool is_directory) {
  struct stat info {};
  if (::stat(path.c_str(), &info) != 0) return path + ": " + std::strerror(errno);
  // A sticky directory (like /tmp) lets others add files but not replace
  // ours; that is safe for the directory of a file we check by name.
  if (is_directory && (info.st_mode & S_ISVTX)) return {};
  const char* who = (info.st_mode & S_IWOTH) ? "everyone" : (info.st_mode & S_IWGRP) ? "its group" : nullptr;
  if (!who) return {};
  return path + " is writable by " + who + " (mode " + mode_text(info.st_mode) + "), so others could change what gleaner runs or reads: chmod go-w " + path;
}

}  // namespace

std::string check_not_writable_by_others(const std::string& path) {
  if (auto problem = check_one(path, false); !problem.empty()) return problem;
  auto directory = std::filesystem::path(path).parent_path().string();
  if (directory.empty()) directory = ".";
  return check_one(directory, true);
}

}  // namespace gleaner::daemon
