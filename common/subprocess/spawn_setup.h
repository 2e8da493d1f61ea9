#pragma once
// Internal: posix_spawn's attributes and file actions, kept for reuse.
//
// What a child gets is the same for every run but for the descriptor
// numbers of its pipes and its working directory, and the kernel hands out
// the lowest free numbers, so the same few sets recur. Building a set costs
// glibc seven getrlimit() calls (each file action checks its descriptor
// against the limit) and a few allocations: it is built once per set.

#include <spawn.h>

#include <array>
#include <memory>
#include <string>
#include <vector>

namespace gleaner::subprocess {

// Every signal at its default and none blocked, its own process group,
// stdin/stdout/stderr from the three descriptors, nothing else inherited,
// the working directory changed to.
class SpawnSetup {
 public:
  SpawnSetup();
  ~SpawnSetup();
  SpawnSetup(const SpawnSetup&) = delete;
  SpawnSetup& operator=(const SpawnSetup&) = delete;

  // 0, or an errno-style error.
  int configure(int stdin_fd, int stdout_fd, int stderr_fd, const std::string& working_dir);

  const posix_spawnattr_t* attributes() const { return &attributes_; }
  const posix_spawn_file_actions_t* actions() const { return &actions_; }

 private:
  posix_spawnattr_t attributes_;
  posix_spawn_file_actions_t actions_;
};

class SpawnSetups {
 public:
  // The set for these descriptors and directory: a kept one, or a new one
  // (nullptr with `error` set if it cannot be built).
  const SpawnSetup* find(int stdin_fd, int stdout_fd, int stderr_fd, const std::string& working_dir, int& error);

 private:
  struct Entry {
    std::array<int, 3> fds;
    std::string working_dir;
    std::unique_ptr<SpawnSetup> setup;
  };
  // More than this many in use at once means descriptors are being held
  // elsewhere; the oldest set then goes.
  static constexpr std::size_t kMaxKept = 64;
  std::vector<Entry> entries_;
};

}  // namespace gleaner::subprocess
