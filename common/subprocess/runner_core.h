#pragma once
// Internal: what all runs of one ProcessRunner share: the executor, the
// wake-ups of runs (their exits, their pipes' watch delay), the reaper, /dev/null, and the queue that bounds how many
// run at once.

#include <boost/asio/any_io_executor.hpp>
#include <cstddef>
#include <deque>
#include <memory>
#include <unordered_set>

#include "common/subprocess/child_reaper.h"
#include "common/subprocess/executable_lookup.h"
#include "common/subprocess/run_wakeups.h"
#include "common/subprocess/spawn_setup.h"
#include "common/subprocess/unique_fd.h"

namespace gleaner::subprocess {

class RunOperation;
class InteractiveProcess;

class RunnerCore : public std::enable_shared_from_this<RunnerCore> {
 public:
  RunnerCore(boost::asio::any_io_executor executor, std::size_t max_concurrent);

  // Starts the run now if a place is free (or it needs none), else queues it.
  void submit(const std::shared_ptr<RunOperation>& run);
  // A started run has finished: its place goes to the next in line.
  void finished(RunOperation& run);
  // A queued run was cancelled before it started.
  void withdraw(RunOperation& run);
  // A started run is being destroyed unfinished (its executor went away).
  void forget(RunOperation& run) { running_.erase(&run); }
  // A long-lived child started, or gone (exited, or given to the reaper);
  // the runner's shutdown ends those still running.
  void adopt(InteractiveProcess& process) { interactive_.insert(&process); }
  void forget(InteractiveProcess& process) { interactive_.erase(&process); }
  void shutdown();
  void set_max_concurrent(std::size_t max_concurrent);

  const boost::asio::any_io_executor& executor() const { return executor_; }
  RunWakeups& wakeups() { return *wakeups_; }
  ChildReaper& reaper() { return reaper_; }
  int dev_null() const { return dev_null_.get(); }
  ExecutableCache& executables() { return executables_; }
  SpawnSetups& spawn_setups() { return spawn_setups_; }
  bool is_shut_down() const { return shut_down_; }
  std::size_t running() const { return running_.size() + interactive_.size(); }
  std::size_t queued() const { return waiting_.size(); }

 private:
  void start(const std::shared_ptr<RunOperation>& run);
  void start_waiting();

  boost::asio::any_io_executor executor_;
  std::shared_ptr<RunWakeups> wakeups_;
  ChildReaper reaper_;
  UniqueFd dev_null_;
  ExecutableCache executables_;
  SpawnSetups spawn_setups_;
  std::size_t max_concurrent_;
  std::size_t places_taken_ = 0;
  bool shut_down_ = false;
  // Queued runs are owned here; started ones by their pending handlers (a
  // run holds the core, so owning them here too would make a cycle).
  std::deque<std::shared_ptr<RunOperation>> waiting_;
  std::unordered_set<RunOperation*> running_;
  std::unordered_set<InteractiveProcess*> interactive_;
};

}  // namespace gleaner::subprocess
