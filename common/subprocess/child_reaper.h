#pragma once
// Makes sure every child the daemon ever had is reaped: no zombies, however
// a command behaves.
//
// Run leaders are reaped by their own run. This class takes care of the rest:
//  - a leader that did not die in time after SIGKILL (stuck in the kernel):
//    its run gives up on it and hands its pidfd over, to be reaped whenever
//    it finally exits, without holding anything else up;
//  - with adopt_orphans(): the daemon becomes a child subreaper, so a
//    command's background children come back to it when the command exits
//    (instead of to PID 1, which in containers may never reap them), and
//    every child that is not a tracked leader is reaped: after each run's
//    leader is, and once a second. (Not on SIGCHLD: a signal per child exit
//    costs more than the sweep, and orphans are rare.)

#include <sys/types.h>

#include <boost/asio/any_io_executor.hpp>
#include <boost/asio/steady_timer.hpp>
#include <cstddef>
#include <memory>
#include <unordered_set>

#include "unique_fd.h"

namespace gleaner::subprocess {

class ChildReaper {
 public:
  explicit ChildReaper(boost::asio::any_io_executor executor);
  ~ChildReaper();
  ChildReaper(const ChildReaper&) = delete;
  ChildReaper& operator=(const ChildReaper&) = delete;

  // Process-wide: only for a program that starts children through this layer
  // alone (the daemon), since it reaps any child it was not told about.
  void adopt_orphans();
  bool adopts_orphans() const { return adopting_; }

  // A run's leader, reaped by its run: the orphan sweep must leave it be.
  void track_leader(pid_t pid);
  void leader_reaped(pid_t pid);

  // A leader whose run gave up waiting for it (SIGKILL already sent).
  void reap_when_exited(pid_t pid, UniqueFd pidfd);

  // Children given up on and not reaped yet.
  std::size_t unreaped() const;

  // Reaps exited children that no run owns; does nothing unless adopting.
  void sweep();

 private:
  void sweep_later();

  struct Shared;
  boost::asio::any_io_executor executor_;
  std::shared_ptr<Shared> shared_;
  std::unique_ptr<boost::asio::steady_timer> sweep_timer_;
  bool adopting_ = false;
};

}  // namespace gleaner::subprocess
