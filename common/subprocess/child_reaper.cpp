#include "common/subprocess/child_reaper.h"

#include <signal.h>
#include <sys/prctl.h>
#include <sys/wait.h>
#include <unistd.h>

#include <boost/asio/posix/stream_descriptor.hpp>
#include <cerrno>
#include <system_error>

#include "common/subprocess/command.h"
#include "common/subprocess/process_info.h"

namespace gleaner::subprocess {

namespace asio = boost::asio;

namespace {

// With the /proc scan, a leader's leftovers are looked for at once among
// the pids handed out since the leader's own (some 0.2 µs each), if there
// are at most this many; else the next sweep's whole scan finds them within
// a second. A whole scan after every run would cost some 150 µs of CPU per
// run with 300 processes on the host.
constexpr std::size_t kMaxPidsProbedAfterALeader = 256;

}  // namespace

// Outlives the reaper for the sake of waits still pending on the executor.
struct ChildReaper::Shared {
  std::unordered_set<pid_t> leaders;  // reaped by their runs, or below
};

ChildReaper::ChildReaper(asio::any_io_executor executor)
    : executor_(executor),
      shared_(std::make_shared<Shared>()),
      terminator_(executor, [this] { sweep(); }) {}

ChildReaper::~ChildReaper() {
  if (sweep_timer_) sweep_timer_->cancel();
  if (!adopting_) return;
  // Nothing will be left to finish the job: whatever is still being ended,
  // or was never found, gets SIGKILL now (spared ones excepted).
  terminator_.kill_all_now();
  for (const pid_t pid : list_children(listing_)) {
    if (shared_->leaders.count(pid) != 0 || terminator_.is_ending(pid) || spares(pid)) continue;
    const auto status = read_process_status(pid);
    if (!status || status->state == 'Z') continue;
    if (status->group == pid) ::kill(-pid, SIGKILL);
    ::kill(pid, SIGKILL);
  }
}

void ChildReaper::adopt_orphans() {
  if (adopting_) return;
  if (::prctl(PR_SET_CHILD_SUBREAPER, 1) != 0) {
    throw std::system_error(errno, std::generic_category(), "prctl(PR_SET_CHILD_SUBREAPER)");
  }
  adopting_ = true;
  sweep_timer_ = std::make_unique<asio::steady_timer>(executor_);
  sweep();
  end_orphans();
  sweep_later();
}

void ChildReaper::sweep_later() {
  sweep_timer_->expires_after(std::chrono::seconds(1));
  sweep_timer_->async_wait([this](const boost::system::error_code& error) {
    if (error) return;  // cancelled: the reaper is going away
    sweep();
    end_orphans();
    sweep_later();
  });
}

void ChildReaper::track_leader(pid_t pid) { shared_->leaders.insert(pid); }

void ChildReaper::leader_reaped(pid_t pid) {
  shared_->leaders.erase(pid);
  if (!adopting_) return;
  // What the leader left running came back to us at its exit.
  if (listing_ == ChildListing::task_children) {
    // Zombies are listed too: with nothing there but the leaders of runs
    // still going, there is nothing to reap or end, and no more to do.
    auto children = main_thread_children_.list();
    std::erase_if(children, [&](pid_t child) { return shared_->leaders.count(child) != 0; });
    if (children.empty()) return;
    sweep();
    for (const pid_t child : children) end_if_orphan(child);
    return;
  }
  sweep();
  if (const auto children = children_started_after(pid, kMaxPidsProbedAfterALeader)) {
    for (const pid_t child : *children) end_if_orphan(child);
  }
}

void ChildReaper::reap_when_exited(pid_t pid, UniqueFd pidfd) {
  auto descriptor = std::make_shared<asio::posix::stream_descriptor>(executor_, pidfd.release());
  // Holds only the shared state, so it is safe to outlive the reaper.
  descriptor->async_wait(asio::posix::stream_descriptor::wait_read,
                         [descriptor, pid, shared = shared_](const boost::system::error_code&) {
                           // Readable means exited. Never block here: if this
                           // is a cancellation instead, the child is left to
                           // the orphan sweep or to whoever outlives us.
                           const pid_t reaped = ::waitpid(pid, nullptr, WNOHANG);
                           if (reaped == pid || (reaped < 0 && errno == ECHILD)) {
                             shared->leaders.erase(pid);
                           }
                         });
}

void ChildReaper::sweep() {
  if (!adopting_) return;
  for (;;) {
    siginfo_t info{};
    // Look first (WNOWAIT), so that a tracked leader's status is left for
    // its run. The kernel reports the first waitable child in its list, so a
    // tracked one stops this sweep; its run reaps it and sweeps again.
    if (::waitid(P_ALL, 0, &info, WEXITED | WNOHANG | WNOWAIT) != 0) return;
    if (info.si_pid == 0) return;
    if (shared_->leaders.count(info.si_pid) != 0) return;
    // Forgotten in the same step as reaped: its pid is never signalled after.
    terminator_.exited(info.si_pid);
    spared_.erase(info.si_pid);
    undecided_.erase(info.si_pid);
    ::waitpid(info.si_pid, nullptr, WNOHANG);
  }
}

void ChildReaper::end_orphans() {
  if (!adopting_) return;
  for (const pid_t pid : list_children(listing_)) end_if_orphan(pid);
}

void ChildReaper::end_if_orphan(pid_t pid) {
  if (shared_->leaders.count(pid) != 0 || terminator_.is_ending(pid) || spared_.count(pid) != 0) return;
  const auto status = read_process_status(pid);
  // Gone, exited (the sweep reaps it), or not ours (a pid read from a scan
  // of the whole machine may have been handed to someone else since).
  if (!status || status->state == 'Z' || status->parent != ::getpid()) return;
  // Still in the process group of a run that is going: that run's, to be
  // killed with its group when its leader exits.
  if (shared_->leaders.count(status->group) != 0) return;
  const auto marked = environment_contains(pid, kBackgroundAllowedEntry);
  // An environment that reads as nothing may be one caught mid-exec: look
  // again once (the next sweep) before deciding that it carries no mark.
  if (!marked && undecided_.insert(pid).second) return;
  if (marked.value_or(false)) {
    spared_.insert(pid);
    return;
  }
  const std::string name = read_command_name(pid);
  terminator_.end(pid, status->group == pid, grace_);
  if (listener_) listener_(pid, name);
}

bool ChildReaper::spares(pid_t pid) {
  return spared_.count(pid) != 0 || environment_contains(pid, kBackgroundAllowedEntry).value_or(false);
}

}  // namespace gleaner::subprocess
