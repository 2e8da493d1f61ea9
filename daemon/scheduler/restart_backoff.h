#pragma once
// How long a command that ended waits before it is started again (stream
// and persistent collectors, README "The exec plugin"): 1 s, doubling to at
// most a minute, and back to 1 s once a run has lasted a minute, so that a
// command that keeps failing costs little and one that failed once after a
// long life comes back at once.

#include <algorithm>
#include <chrono>

namespace gleaner::daemon {

class RestartBackoff {
 public:
  static constexpr std::chrono::milliseconds kFirst{1'000};
  static constexpr std::chrono::milliseconds kMax{60'000};

  // The wait before the next start of a command that ran for ran_for.
  std::chrono::milliseconds after_run_of(std::chrono::steady_clock::duration ran_for) {
    if (ran_for >= kMax) current_ = std::chrono::milliseconds(0);
    current_ = current_.count() == 0 ? kFirst : std::min(current_ * 2, kMax);
    return current_;
  }

 private:
  std::chrono::milliseconds current_{0};
};

}  // namespace gleaner::daemon
