#pragma once
// Internal: what wakes the loop for a run, through one descriptor the loop
// watches: an epoll set of the runner's own, holding each child's pidfd
// until its exit, and a timer for the delay after which a run's pipes are
// watched (RunOperation::watch_output).
//
// Why not each pidfd with Asio: that costs a run five system calls more
// than it needs (epoll_ctl ADD, ioctl FIONBIO and epoll_ctl MOD to arm the
// wait, epoll_ctl DEL at the end, and a waitid to tell a real exit from a
// stale readiness, since Asio reuses its per-descriptor state). Here a
// child costs one epoll_ctl ADD; a wake-up costs one epoll_wait of the set
// for however many children exited together; closing the pidfd takes it
// out of the set. Each watch has a number of its own, never reused, so an
// event is never taken for another child's.
//
// Why not an Asio timer for the delay: cancelling one leaves the loop's
// timer armed for its expiry (Asio re-arms only when a timer is added),
// so nearly every run, done within the delay, would wake the loop once
// more for nothing, and a wake-up from idle is what costs a VM most
// (README "Performance"). Here cancelling the earliest deadline re-arms
// the timer for the next one, or disarms it: one timerfd_settime.
//
// The handlers waiting belong to the pending wait on the set, as a pending
// Asio operation owns its handler: destroying the io_context destroys them
// (and the runs they hold), and this object itself may go first.

#include <boost/asio/any_io_executor.hpp>
#include <boost/asio/posix/stream_descriptor.hpp>
#include <chrono>
#include <cstdint>
#include <functional>
#include <memory>

#include "common/subprocess/unique_fd.h"

namespace gleaner::subprocess {

class RunWakeups : public std::enable_shared_from_this<RunWakeups> {
 public:
  using Handler = std::function<void()>;
  using Id = std::uint64_t;  // 0 is none
  using Clock = std::chrono::steady_clock;  // CLOCK_MONOTONIC, as the timer's

  // Throws std::system_error if the set or its timer cannot be made.
  explicit RunWakeups(const boost::asio::any_io_executor& executor);
  RunWakeups(const RunWakeups&) = delete;
  RunWakeups& operator=(const RunWakeups&) = delete;

  // Calls on_exit once, on the loop, after the process behind `pidfd` has
  // exited (it is a zombie then, until someone reaps it). The pidfd stays
  // the caller's, and must stay open until on_exit runs or forget_exit()
  // is called. Returns 0, with errno set, if the pidfd cannot be added.
  Id watch_exit(int pidfd, Handler on_exit);
  // Ends a watch that has not fired: its handler is dropped, never called.
  void forget_exit(int pidfd, Id id);

  struct Deadline {
    Clock::time_point when;
    Id id = 0;
  };
  // Calls on_due once, on the loop, at `when` or soon after.
  Deadline call_at(Clock::time_point when, Handler on_due);
  // Ends a deadline that has not come: its handler is dropped, never called.
  void cancel(const Deadline& deadline);

 private:
  struct Waiting;

  Waiting& waiting();
  void wait(std::shared_ptr<Waiting> waiting);
  void take_events(Waiting& waiting);
  void call_due(Waiting& waiting);
  void arm_timer(const Waiting& waiting);
  void release_if_idle(const Waiting& waiting);

  boost::asio::posix::stream_descriptor set_;
  UniqueFd timer_;
  Clock::time_point timer_armed_for_ = Clock::time_point::max();  // max: disarmed
  std::weak_ptr<Waiting> waiting_;  // owned by the pending wait, if any
  bool taking_events_ = false;
  Id next_id_ = 1;
};

}  // namespace gleaner::subprocess
