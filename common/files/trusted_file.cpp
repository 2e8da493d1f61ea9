#include "common/files/trusted_file.h"

#include <pwd.h>
#include <unistd.h>

#include <cerrno>
#include <cstdio>
#include <filesystem>
#include <system_error>
#include <vector>

#include "common/files/file_type.h"
#include "common/files/real_path.h"

namespace gleaner::files {
namespace {

std::string mode_text(mode_t mode) {
  char text[8];
  std::snprintf(text, sizeof text, "%04o", static_cast<unsigned>(mode & 07777));
  return text;
}

// "nobody (uid 65534)", or "uid 1234" for a uid no user has.
std::string user_text(uid_t uid) {
  std::vector<char> buffer(16 * 1024);
  passwd entry{};
  passwd* found = nullptr;
  if (::getpwuid_r(uid, &entry, buffer.data(), buffer.size(), &found) == 0 && found) {
    return std::string(found->pw_name) + " (uid " + std::to_string(uid) + ")";
  }
  return "uid " + std::to_string(uid);
}

std::string trusted_owners_text() {
  if (::geteuid() == 0) return "root";
  const std::string user = user_text(::geteuid());
  return "root or gleaner's own user, " + user;
}

enum class Place { checked_file, link, directory_above };

// One entry on the way from a checked file up to /. A directory above is
// only reached once the entry below it is known to have a trusted owner,
// which is what makes a sticky directory safe.
std::string check_entry(const std::string& path, const struct stat& status, Place place) {
  if (!is_trusted_owner(status.st_uid)) {
    return path + " is owned by " + user_text(status.st_uid) + ", not by " + trusted_owners_text() +
           ", so its owner could change what gleaner runs or reads: chown " + (place == Place::link ? "-h " : "") +
           "root " + path;
  }
  if (place == Place::link) return {};  // a link's own mode means nothing
  if (!(status.st_mode & (S_IWGRP | S_IWOTH))) return {};
  if (place == Place::directory_above && S_ISDIR(status.st_mode) && (status.st_mode & S_ISVTX)) return {};
  const char* who = (status.st_mode & S_IWOTH) ? "everyone" : "its group";
  return path + " is writable by " + who + " (mode " + mode_text(status.st_mode) +
         "), so others could change what gleaner runs or reads: chmod go-w " + path;
}

std::string parent_of(const std::string& absolute) {
  const auto slash = absolute.find_last_of('/');
  return slash == 0 || slash == std::string::npos ? "/" : absolute.substr(0, slash);
}

// Every directory above `absolute` (which holds no symbolic link), up to /.
std::string check_directories_above(const std::string& absolute) {
  for (std::string directory = absolute; directory != "/";) {
    directory = parent_of(directory);
    struct stat status {};
    if (::lstat(directory.c_str(), &status) != 0) {
      return "cannot check " + directory + ": " + std::system_category().message(errno);
    }
    if (auto problem = check_entry(directory, status, Place::directory_above); !problem.empty()) return problem;
  }
  return {};
}

// The folder where path's own name lives, when that name is not where the
// path leads: the link itself and the directories above it.
std::string check_where_the_name_lives(const std::string& path, const std::string& resolved) {
  const std::string name = name_in_folder(path);
  if (name.empty() || name == "." || name == "..") return {};
  const auto folder = real_path(folder_of(path));
  if (!folder) return "cannot check " + folder_of(path) + ": " + std::system_category().message(errno);
  const std::string entry = (*folder == "/" ? "" : *folder) + "/" + name;
  if (entry == resolved) return {};
  struct stat status {};
  if (::lstat(entry.c_str(), &status) != 0) {
    return "cannot check " + entry + ": " + std::system_category().message(errno);
  }
  if (auto problem = check_entry(entry, status, Place::link); !problem.empty()) return problem;
  return check_directories_above(entry);
}

// "conf.d/x.yaml leads to /srv/x.yaml: " when symbolic links take the path
// elsewhere, so that a user sees why a file they did not name is at fault.
std::string leads_to_text(const std::string& path, const std::string& resolved) {
  std::error_code error;
  const auto plain = std::filesystem::absolute(path, error).lexically_normal();
  if (!error && plain == resolved) return {};
  return path + " leads to " + resolved + ": ";
}

}  // namespace

bool is_trusted_owner(uid_t uid) { return uid == 0 || uid == ::geteuid(); }

std::string check_trusted_opened_file(const std::string& path, const std::string& resolved, const struct stat& opened) {
  std::string problem = check_entry(resolved, opened, Place::checked_file);
  if (problem.empty()) problem = check_directories_above(resolved);
  if (problem.empty()) problem = check_where_the_name_lives(path, resolved);
  return problem.empty() ? problem : leads_to_text(path, resolved) + problem;
}

std::string check_trusted_file(const std::string& path) {
  const auto resolved = real_path(path);
  if (!resolved) return "cannot read " + path + ": " + std::system_category().message(errno);
  struct stat status {};
  if (::stat(resolved->c_str(), &status) != 0) {
    return "cannot read " + path + ": " + std::system_category().message(errno);
  }
  if (!S_ISREG(status.st_mode)) return leads_to_text(path, *resolved) + *resolved + " is " + file_type_name(status.st_mode) + ", not a regular file";
  return check_trusted_opened_file(path, *resolved, status);
}

}  // namespace gleaner::files
