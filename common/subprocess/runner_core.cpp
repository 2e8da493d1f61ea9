#include "common/subprocess/runner_core.h"

#include <fcntl.h>

#include <algorithm>
#include <cerrno>
#include <system_error>
#include <vector>

#include "common/subprocess/interactive_process.h"
#include "common/subprocess/run_operation.h"

namespace gleaner::subprocess {

RunnerCore::RunnerCore(boost::asio::any_io_executor executor, std::size_t max_concurrent)
    : executor_(executor),
      wakeups_(std::make_shared<RunWakeups>(executor)),
      reaper_(executor),
      dev_null_(::open("/dev/null", O_RDONLY | O_CLOEXEC)),
      max_concurrent_(std::max<std::size_t>(1, max_concurrent)) {
  if (!dev_null_) throw std::system_error(errno, std::generic_category(), "open /dev/null");
}

void RunnerCore::submit(const std::shared_ptr<RunOperation>& run) {
  if (shut_down_) {
    run->complete_unstarted(RunFailure::cancelled, "the runner is shutting down");
    return;
  }
  if (!run->takes_place()) {
    start(run);
    return;
  }
  waiting_.push_back(run);
  start_waiting();
}

void RunnerCore::start(const std::shared_ptr<RunOperation>& run) {
  if (run->takes_place()) ++places_taken_;
  running_.insert(run.get());
  run->start();
}

void RunnerCore::start_waiting() {
  while (!waiting_.empty() && places_taken_ < max_concurrent_) {
    auto next = std::move(waiting_.front());
    waiting_.pop_front();
    start(next);
  }
}

void RunnerCore::finished(RunOperation& run) {
  if (running_.erase(&run) == 0) return;
  if (run.takes_place()) --places_taken_;
  start_waiting();
}

void RunnerCore::withdraw(RunOperation& run) {
  auto it = std::find_if(waiting_.begin(), waiting_.end(),
                         [&](const auto& queued) { return queued.get() == &run; });
  if (it != waiting_.end()) waiting_.erase(it);
}

void RunnerCore::shutdown() {
  shut_down_ = true;
  auto queued = std::move(waiting_);
  waiting_.clear();
  for (auto& run : queued) run->complete_unstarted(RunFailure::cancelled, "the runner is shutting down");
  // cancel() may finish a run at once, which edits running_: work on a copy.
  std::vector<std::shared_ptr<RunOperation>> started;
  for (auto* run : running_) started.push_back(run->shared_from_this());
  for (auto& run : started) run->cancel();
  std::vector<std::shared_ptr<InteractiveProcess>> children;
  for (auto* child : interactive_) children.push_back(child->shared_from_this());
  for (auto& child : children) child->close();
  // Orphans of runs that ended before: what the cancelled runs leave is
  // found as each leader is reaped.
  reaper_.end_orphans();
}

void RunnerCore::set_max_concurrent(std::size_t max_concurrent) {
  max_concurrent_ = std::max<std::size_t>(1, max_concurrent);
  start_waiting();
}

}  // namespace gleaner::subprocess
