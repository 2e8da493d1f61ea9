#pragma once
// Ends orphans the way a run's process group is ended: SIGTERM, SIGKILL after
// the grace. An orphan here is a child of this process that belongs to no
// live run (it escaped its run's process group, then lost its parent).
//
// Only unreaped children are signalled: a child's pid, and the process
// group it leads, cannot be reused until it is reaped, and the reaper calls
// exited() in the same step that reaps one. The group is signalled whenever
// the orphan leads one, since its own children stay in it.

#include <sys/types.h>

#include <boost/asio/any_io_executor.hpp>
#include <boost/asio/posix/stream_descriptor.hpp>
#include <boost/asio/steady_timer.hpp>
#include <chrono>
#include <cstddef>
#include <functional>
#include <memory>
#include <unordered_map>

namespace gleaner::subprocess {

class OrphanTerminator {
 public:
  // on_exit runs when an orphan being ended has exited (to reap it).
  OrphanTerminator(boost::asio::any_io_executor executor, std::function<void()> on_exit);
  ~OrphanTerminator();
  OrphanTerminator(const OrphanTerminator&) = delete;
  OrphanTerminator& operator=(const OrphanTerminator&) = delete;

  // SIGTERM now, SIGKILL after the grace unless it has exited by then.
  void end(pid_t pid, bool leads_group, std::chrono::milliseconds grace);
  bool is_ending(pid_t pid) const { return endings_.count(pid) != 0; }
  std::size_t ending() const { return endings_.size(); }

  // The orphan has exited and is about to be reaped: the last moment its
  // group may be signalled (what it left there is killed) and forgotten.
  void exited(pid_t pid);

  // SIGKILL to every orphan still being ended, without waiting: for when
  // nothing will be left to finish the job.
  void kill_all_now();

 private:
  struct Ending {
    bool leads_group = false;
    std::unique_ptr<boost::asio::steady_timer> grace;
    std::unique_ptr<boost::asio::posix::stream_descriptor> exit_watch;  // a pidfd
  };

  static void send(pid_t pid, const Ending& ending, int signal);
  void watch_exit(pid_t pid, Ending& ending);

  boost::asio::any_io_executor executor_;
  std::function<void()> on_exit_;
  std::unordered_map<pid_t, Ending> endings_;
};

}  // namespace gleaner::subprocess
