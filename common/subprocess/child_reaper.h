#pragma once
// Makes sure every child the daemon ever had is reaped, and that nothing a
// run starts outlives it.
//
// Run leaders are reaped by their own run. This class takes care of the rest:
//  - a leader that did not die in time after SIGKILL (stuck in the kernel):
//    its run gives up on it and hands its pidfd over, to be reaped whenever
//    it finally exits, without holding anything else up;
//  - with adopt_orphans(): the daemon becomes a child subreaper, so what a
//    command leaves running comes back to it when its parent exits (instead
//    of going to PID 1, which in containers may never reap it). Each run's
//    process group is killed when its leader exits, but a process can leave
//    the group (setsid, a daemon's double fork): such a child, which belongs
//    to no live run, is an orphan, and is ended (SIGTERM, SIGKILL after the
//    grace, reaped) unless its run allowed background processes. A child
//    still in the process group of a running leader is left to that run,
//    which kills its group when the leader exits.
//
// Orphans are looked for right after each leader is reaped (its leftovers
// come back at its exit) and once a second (for those whose parent exits
// later). Not on SIGCHLD: a signal per child exit costs more than the
// sweep, and orphans are rare.
//
// Which orphans a run allowed: Command::allow_background puts
// kBackgroundAllowedEntry in the command's environment, which its
// descendants inherit through fork, exec, setsid and daemon(); an orphan
// whose /proc/PID/environ holds it is spared. The simplest attribution
// that survives an escape: a process group or session is exactly what an
// escaping process leaves, a cgroup per run needs privileges the daemon
// does not have, and following every descendant from its start would mean
// scanning /proc all the time. It is a convenience, not a boundary: any
// command can set the entry itself, and a program that clears or overwrites
// its environment loses it (and is ended).

#include <sys/types.h>

#include <boost/asio/any_io_executor.hpp>
#include <boost/asio/steady_timer.hpp>
#include <chrono>
#include <cstddef>
#include <functional>
#include <memory>
#include <string_view>
#include <unordered_set>

#include "common/subprocess/child_listing.h"
#include "common/subprocess/orphan_terminator.h"
#include "common/subprocess/unique_fd.h"

namespace gleaner::subprocess {

class ChildReaper {
 public:
  // Told about each orphan as it is ended: its pid and command name
  // (/proc/PID/comm, control characters escaped).
  using OrphanListener = std::function<void(pid_t pid, std::string_view command_name)>;

  explicit ChildReaper(boost::asio::any_io_executor executor);
  ~ChildReaper();  // SIGKILL to what is still being ended, and to orphans not found yet
  ChildReaper(const ChildReaper&) = delete;
  ChildReaper& operator=(const ChildReaper&) = delete;

  // Process-wide: only for a program that starts children through this layer
  // alone (the daemon), since it ends and reaps any child it was not told about.
  void adopt_orphans();

  void on_orphan_ended(OrphanListener listener) { listener_ = std::move(listener); }
  // How children are found; the best available by default.
  void set_child_listing(ChildListing listing) { listing_ = listing; }
  // Between SIGTERM and SIGKILL to an orphan; the runs' default.
  void set_orphan_grace(std::chrono::milliseconds grace) { grace_ = grace; }

  // A run's leader, reaped by its run: the orphan sweep must leave it be.
  void track_leader(pid_t pid);
  void leader_reaped(pid_t pid);

  // A leader whose run gave up waiting for it (SIGKILL already sent).
  void reap_when_exited(pid_t pid, UniqueFd pidfd);

  // Orphans sent SIGTERM and not reaped yet.
  std::size_t orphans_being_ended() const { return terminator_.ending(); }

  // Reaps exited children that no run owns; does nothing unless adopting.
  void sweep();
  // Looks at every child and ends the orphans; does nothing unless adopting.
  void end_orphans();

 private:
  void sweep_later();
  void end_if_orphan(pid_t pid);
  bool spares(pid_t pid);

  struct Shared;
  boost::asio::any_io_executor executor_;
  std::shared_ptr<Shared> shared_;
  std::unique_ptr<boost::asio::steady_timer> sweep_timer_;
  bool adopting_ = false;
  ChildListing listing_ = available_child_listing();
  MainThreadChildren main_thread_children_;  // where a leader's leftovers land (task_children)
  std::chrono::milliseconds grace_{1000};
  OrphanTerminator terminator_;
  // Orphans whose runs allowed them, unreaped, so known not to be reused:
  // their environment is read once.
  std::unordered_set<pid_t> spared_;
  std::unordered_set<pid_t> undecided_;  // looked at once, its environment unreadable
  OrphanListener listener_;
};

}  // namespace gleaner::subprocess
