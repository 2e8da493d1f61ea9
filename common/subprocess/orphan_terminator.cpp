#include "common/subprocess/orphan_terminator.h"

#include <signal.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "common/subprocess/pidfd.h"

namespace gleaner::subprocess {

namespace asio = boost::asio;

OrphanTerminator::OrphanTerminator(asio::any_io_executor executor, std::function<void()> on_exit)
    : executor_(std::move(executor)), on_exit_(std::move(on_exit)) {}

// Pending waits are cancelled with the timers and descriptors; their
// handlers then return without touching this object.
OrphanTerminator::~OrphanTerminator() = default;

void OrphanTerminator::send(pid_t pid, const Ending& ending, int signal) {
  if (ending.leads_group) ::kill(-pid, signal);
  ::kill(pid, signal);  // also when it left the group it led
}

void OrphanTerminator::end(pid_t pid, bool leads_group, std::chrono::milliseconds grace) {
  if (is_ending(pid)) return;
  Ending& ending = endings_[pid];
  ending.leads_group = leads_group;
  send(pid, ending, SIGTERM);
  ending.grace = std::make_unique<asio::steady_timer>(executor_, grace);
  ending.grace->async_wait([this, pid](const boost::system::error_code& error) {
    if (error) return;
    const auto it = endings_.find(pid);
    if (it != endings_.end()) send(pid, it->second, SIGKILL);
  });
  // Watched so that it is reaped (and its group's leftovers killed) as soon
  // as it exits, not at the next sweep. Without a pidfd, the sweep does it.
  const int pidfd = ::pidfd_open(pid, 0);
  if (pidfd >= 0) {
    ending.exit_watch = std::make_unique<asio::posix::stream_descriptor>(executor_, pidfd);
    watch_exit(pid, ending);
  }
}

void OrphanTerminator::watch_exit(pid_t pid, Ending& ending) {
  ending.exit_watch->async_wait(asio::posix::stream_descriptor::wait_read,
                                [this, pid](const boost::system::error_code& error) {
                                  if (error) return;
                                  on_exit_();  // reaps it, through exited(), if it has exited
                                  // Readiness can be stale (a reused descriptor
                                  // number): still here means not exited yet.
                                  const auto it = endings_.find(pid);
                                  if (it != endings_.end()) watch_exit(pid, it->second);
                                });
}

void OrphanTerminator::exited(pid_t pid) {
  const auto it = endings_.find(pid);
  if (it == endings_.end()) return;
  if (it->second.leads_group) ::kill(-pid, SIGKILL);
  endings_.erase(it);
}

void OrphanTerminator::kill_all_now() {
  for (const auto& [pid, ending] : endings_) send(pid, ending, SIGKILL);
}

}  // namespace gleaner::subprocess
