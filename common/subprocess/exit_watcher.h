#pragma once
// Internal: waits for the runs' children to exit, all through one
// descriptor the loop watches: an epoll set of the runner's own, holding
// each child's pidfd until it fires.
//
// Why not each pidfd with Asio: that costs a run five system calls more
// than it needs (epoll_ctl ADD, ioctl FIONBIO and epoll_ctl MOD to arm the
// wait, epoll_ctl DEL at the end, and a waitid to tell a real exit from a
// stale readiness, since Asio reuses its per-descriptor state). Here a
// child costs one epoll_ctl ADD; a wake-up costs one epoll_wait and one
// re-arm of the set, for however many children exited together; closing
// the pidfd takes it out of the set. Each watch has a number of its own,
// never reused, so an event is never taken for another child's.
//
// The handlers waiting belong to the pending wait on the set, as a pending
// Asio operation owns its handler: destroying the io_context destroys them
// (and the runs they hold), and the watcher itself may go first.

#include <boost/asio/any_io_executor.hpp>
#include <boost/asio/posix/stream_descriptor.hpp>
#include <cstdint>
#include <functional>
#include <memory>

namespace gleaner::subprocess {

class ExitWatcher : public std::enable_shared_from_this<ExitWatcher> {
 public:
  using Handler = std::function<void()>;
  using WatchId = std::uint64_t;  // 0 is no watch

  // Throws std::system_error if the set cannot be made.
  explicit ExitWatcher(const boost::asio::any_io_executor& executor);
  ExitWatcher(const ExitWatcher&) = delete;
  ExitWatcher& operator=(const ExitWatcher&) = delete;

  // Calls on_exit once, on the loop, after the process behind `pidfd` has
  // exited (it is a zombie then, until someone reaps it). The pidfd stays
  // the caller's, and must stay open until on_exit runs or forget() is
  // called. Returns 0, with errno set, if the pidfd cannot be added.
  WatchId watch(int pidfd, Handler on_exit);
  // Ends a watch that has not fired: its handler is dropped, never called.
  void forget(int pidfd, WatchId id);

 private:
  struct Waiting;

  void wait(std::shared_ptr<Waiting> waiting);
  void take_exits(Waiting& waiting);

  boost::asio::posix::stream_descriptor set_;
  std::weak_ptr<Waiting> waiting_;  // owned by the pending wait, if any
  WatchId next_id_ = 1;
};

}  // namespace gleaner::subprocess
