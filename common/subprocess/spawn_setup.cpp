#include "common/subprocess/spawn_setup.h"

#include <signal.h>
#include <unistd.h>

#include <algorithm>

namespace gleaner::subprocess {

SpawnSetup::SpawnSetup() {
  ::posix_spawnattr_init(&attributes_);
  ::posix_spawn_file_actions_init(&actions_);
}

SpawnSetup::~SpawnSetup() {
  ::posix_spawn_file_actions_destroy(&actions_);
  ::posix_spawnattr_destroy(&attributes_);
}

int SpawnSetup::configure(int stdin_fd, int stdout_fd, int stderr_fd, const std::string& working_dir) {
  sigset_t all;
  sigset_t none;
  sigfillset(&all);
  sigemptyset(&none);
  // The daemon ignores SIGPIPE and may block or handle others; a command
  // must start with every signal at its default and none blocked.
  int error = ::posix_spawnattr_setflags(&attributes_,
                                         POSIX_SPAWN_SETPGROUP | POSIX_SPAWN_SETSIGDEF | POSIX_SPAWN_SETSIGMASK);
  if (!error) error = ::posix_spawnattr_setpgroup(&attributes_, 0);
  if (!error) error = ::posix_spawnattr_setsigdefault(&attributes_, &all);
  if (!error) error = ::posix_spawnattr_setsigmask(&attributes_, &none);
  if (!error) error = ::posix_spawn_file_actions_adddup2(&actions_, stdin_fd, STDIN_FILENO);
  if (!error) error = ::posix_spawn_file_actions_adddup2(&actions_, stdout_fd, STDOUT_FILENO);
  if (!error) error = ::posix_spawn_file_actions_adddup2(&actions_, stderr_fd, STDERR_FILENO);
  // Everything of ours is close-on-exec already; this also covers
  // descriptors a library opened without it.
  if (!error) error = ::posix_spawn_file_actions_addclosefrom_np(&actions_, STDERR_FILENO + 1);
  if (!error) error = ::posix_spawn_file_actions_addchdir_np(&actions_, working_dir.c_str());
  return error;
}

const SpawnSetup* SpawnSetups::find(int stdin_fd, int stdout_fd, int stderr_fd, const std::string& working_dir,
                                    int& error) {
  const std::array<int, 3> fds{stdin_fd, stdout_fd, stderr_fd};
  const auto kept = std::find_if(entries_.begin(), entries_.end(), [&](const Entry& entry) {
    return entry.fds == fds && entry.working_dir == working_dir;
  });
  if (kept != entries_.end()) return kept->setup.get();
  auto setup = std::make_unique<SpawnSetup>();
  error = setup->configure(stdin_fd, stdout_fd, stderr_fd, working_dir);
  if (error) return nullptr;
  if (entries_.size() >= kMaxKept) entries_.erase(entries_.begin());
  entries_.push_back(Entry{fds, working_dir, std::move(setup)});
  return entries_.back().setup.get();
}

}  // namespace gleaner::subprocess
