#include "child_reaper.h"

#include <signal.h>
#include <sys/prctl.h>
#include <sys/wait.h>

#include <boost/asio/posix/stream_descriptor.hpp>
#include <cerrno>
#include <system_error>

namespace gleaner::subprocess {

namespace asio = boost::asio;

// Outlives the reaper for the sake of waits still pending on the executor.
struct ChildReaper::Shared {
  std::unordered_set<pid_t> leaders;  // reaped by their runs, or below
  std::size_t abandoned = 0;
};

ChildReaper::ChildReaper(asio::any_io_executor executor)
    : executor_(std::move(executor)), shared_(std::make_shared<Shared>()) {}

ChildReaper::~ChildReaper() {
  if (sweep_timer_) sweep_timer_->cancel();
}

void ChildReaper::adopt_orphans() {
  if (adopting_) return;
  if (::prctl(PR_SET_CHILD_SUBREAPER, 1) != 0) {
    throw std::system_error(errno, std::generic_category(), "prctl(PR_SET_CHILD_SUBREAPER)");
  }
  adopting_ = true;
  sweep_timer_ = std::make_unique<asio::steady_timer>(executor_);
  sweep();
  sweep_later();
}

void ChildReaper::sweep_later() {
  sweep_timer_->expires_after(std::chrono::seconds(1));
  sweep_timer_->async_wait([this](const boost::system::error_code& error) {
    if (error) return;  // cancelled: the reaper is going away
    sweep();
    sweep_later();
  });
}

void ChildReaper::track_leader(pid_t pid) { shared_->leaders.insert(pid); }

void ChildReaper::leader_reaped(pid_t pid) {
  shared_->leaders.erase(pid);
  sweep();
}

void ChildReaper::reap_when_exited(pid_t pid, UniqueFd pidfd) {
  auto descriptor = std::make_shared<asio::posix::stream_descriptor>(executor_, pidfd.release());
  ++shared_->abandoned;
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
                           --shared->abandoned;
                         });
}

std::size_t ChildReaper::unreaped() const { return shared_->abandoned; }

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
    ::waitpid(info.si_pid, nullptr, WNOHANG);
  }
}

}  // namespace gleaner::subprocess
